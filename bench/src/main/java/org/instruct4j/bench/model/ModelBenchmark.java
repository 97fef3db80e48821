package org.instruct4j.bench.model;

import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.Device;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.ModelFiles;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.checkpoint.Llama2cCheckpoint;
import org.instruct4j.model.cpu.CpuEngine;
import org.instruct4j.model.cpu.VectorMath;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.engine.TorchEngine;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.testkit.SharedData;

/**
 * Issue 12's benchmark: batch-1 greedy decode of the CPU engine (1 and 2 threads; fp32, Q8_0, Q4_0) against
 * llama2.c's run.c on the very same weights in the same run (stories260K, and random Llamas of llama2.c's 15M and
 * 110M shapes written as llama2.c files), libtorch for reference; batch-16 decode and prefill; the load time of a
 * 1.19 GB checkpoint; the machine's read bandwidth and each row's fraction of it (weight bytes per token x tokens/s).
 * Decoding runs from BOS as run.c does (timed from the second step, stopping at a generated BOS); each figure is the
 * median of the runs after warm-up. The programs of a model's decode rows take turns (one run of each per turn), and
 * the row "java's best / run.c's best" is the median of the turns' own ratios.
 *
 * <pre>
 * bench/run model.ModelBenchmark [--runc FILE] [--runc-omp FILE] [--runs N] [--dir DIR] [--bandwidth GB/s] [rows...]
 *   rows: 260K 15M 110M (batch-1 decode, the programs in turns), quantized (110M and 15M in Q8_0 and Q4_0), batch (15M batch 16 and
 *   batch 1 in turns with 1 and 2 threads, and prefill), torch (add libtorch rows), load (1.19 GB safetensors), bandwidth; default: all but torch
 *   (each engine row in a JVM of its own when there are several: see {@link #ENGINE_ROWS})
 * </pre>
 * The run.c builds are made by hand (gcc -Ofast -march=native run.c -lm, and with -fopenmp); without them the
 * run.c rows are skipped.
 */
public final class ModelBenchmark {
    private static final int BOS = 1;
    /** Warm-up lasts at least this long (the JIT compiles the kernels meanwhile, slowly on a busy machine). */
    private static final long WARMUP_NANOS = 8_000_000_000L;

    /**
     * Rows that run the CPU engine: each in a JVM of its own when several are asked for, as a user's process runs one
     * model. C2 compiles a kernel for the shapes it sees first (how far it unrolls a loop follows the trip counts it
     * profiled): after stories260K's 64-column rows in the same JVM, the 110M rows ran at 30 / 51 tokens/s against
     * 47 / 74 alone.
     */
    private static final List<String> ENGINE_ROWS = List.of("260K", "15M", "110M", "quantized", "batch", "load");

    private final int runs;
    private final Path dir;
    private final List<RunC> runC = new ArrayList<>();
    private double bandwidth;

    private ModelBenchmark(int runs, Path dir) {
        this.runs = runs;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        List<String> rows = new ArrayList<>(), options = new ArrayList<>();
        Path runc = null, runcOmp = null, dir = Path.of(System.getProperty("java.io.tmpdir"), "instruct4j-bench-models");
        int runs = 3;
        double bandwidth = 0;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--runc" -> runc = Path.of(args[++i]);
                case "--runc-omp" -> runcOmp = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--bandwidth" -> bandwidth = Double.parseDouble(args[++i]);
                default -> rows.add(option);
            }
            if (option.startsWith("--") && !option.equals("--bandwidth")) {
                options.addAll(List.of(option, args[i]));
            }
        }
        if (rows.isEmpty()) {
            rows = List.of("bandwidth", "260K", "15M", "110M", "quantized", "batch", "load");
        }
        ModelBenchmark bench = new ModelBenchmark(runs, dir);
        bench.bandwidth = bandwidth;
        if (runc != null) {
            bench.runC.add(new RunC(runc, 1));
        }
        if (runcOmp != null) {
            bench.runC.add(new RunC(runcOmp, 1));
            bench.runC.add(new RunC(runcOmp, 2));
        }
        bench.run(rows, options);
    }

    private void run(List<String> rows, List<String> options) throws Exception {
        System.out.println("load average at start: " + loadAverage());
        if (rows.contains("bandwidth")) {
            bandwidth = Math.max(MemoryBandwidth.gigabytesPerSecond(1, 5), MemoryBandwidth.gigabytesPerSecond(2, 5));
            System.out.printf(Locale.ROOT, "read bandwidth (best of 1 and 2 threads): %.1f GB/s%n", bandwidth);
        }
        List<String> engineRows = rows.stream().filter(ENGINE_ROWS::contains).toList();
        if (engineRows.size() > 1) {
            for (String row : engineRows) {
                runAlone(row, rows.contains("torch"), options);
            }
            System.out.println("load average at end: " + loadAverage());
            return;
        }
        Path storiesTokenizer = SharedData.path("models/stories260K/tok512.bin");
        Path llamaTokenizer = SharedData.path("models/llama2_tokenizer/tokenizer.bin");
        boolean torch = rows.contains("torch");
        if (rows.contains("260K")) {
            decodeRows("stories260K", SharedData.path("models/stories260K/stories260K.bin"), storiesTokenizer, 512, torch);
        }
        if (rows.contains("15M")) {
            decodeRows("random 15M", randomModel("small", "random15M.bin"), llamaTokenizer, 256, torch);
        }
        if (rows.contains("110M")) {
            decodeRows("random 110M", randomModel("base", "random110M.bin"), llamaTokenizer, 256, torch);
        }
        if (rows.contains("quantized")) {
            for (String size : List.of("small", "base")) {
                Path model = randomModel(size, size.equals("small") ? "random15M.bin" : "random110M.bin");
                for (Quantization q : List.of(Quantization.Q8_0, Quantization.Q4_0)) {
                    javaRow((size.equals("small") ? "random 15M " : "random 110M ") + q, model, q, 2, 256);
                }
            }
        }
        if (rows.contains("batch")) {
            batchRows(randomModel("small", "random15M.bin"));
        }
        if (rows.contains("load")) {
            load();
        }
        System.out.println("load average at end: " + loadAverage());
    }

    /** Runs one engine row in a JVM of its own, with this JVM's options and classpath, printing its rows. */
    private void runAlone(String row, boolean torch, List<String> options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ModelBenchmark.class.getName()));
        command.addAll(options);
        command.addAll(List.of("--bandwidth", Double.toString(bandwidth), row));
        if (torch) {
            command.add("torch");
        }
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = child.inputReader(StandardCharsets.UTF_8)) {
            out.lines().filter(line -> line.startsWith("|")).forEach(System.out::println);
        }
        if (child.waitFor() != 0) {
            throw new IllegalStateException("the " + row + " rows failed (exit " + child.exitValue() + ")");
        }
    }

    /** One program of a decode comparison: its row's label and one measurement of it. */
    private record Contender(String label, Measurement measurement) {}

    /**
     * The batch-1 decode rows of one model: the CPU engine with 1 and 2 threads, libtorch, run.c, measured in turns
     * (each turn runs every program once, after a warm-up of all), so that a drift of this shared machine's speed
     * falls on all of them alike; then the engine's best against run.c's best, the median of the turns' own ratios.
     */
    private void decodeRows(String name, Path checkpoint, Path tokenizer, int steps, boolean torch) throws Exception {
        try (CpuEngine one = open(checkpoint, Quantization.NONE, 1); CpuEngine two = open(checkpoint, Quantization.NONE, 2)) {
            long bytes = one.weightBytesPerToken();
            List<Contender> contenders = new ArrayList<>(List.of(new Contender("java, 1 thread", () -> decode(one, steps)),
                    new Contender("java, 2 threads", () -> decode(two, steps))));
            if (torch) {
                TorchEngine libtorch = new TorchEngine(Llama2cCheckpoint.load(checkpoint, Precision.FP32, new Device("cpu")));
                contenders.add(new Contender("libtorch", () -> decode(libtorch, steps)));
            }
            for (RunC binary : runC) {
                contenders.add(new Contender(binary.label(), () -> binary.tokensPerSecond(checkpoint, tokenizer, steps)));
            }
            double[][] values = inTurns(contenders);
            for (int c = 0; c < contenders.size(); c++) {
                report(name + " fp32", contenders.get(c).label(), values[c], bytes);
            }
            if (!runC.isEmpty()) {
                double[] ratio = new double[runs];
                int firstRunC = contenders.size() - runC.size();
                for (int i = 0; i < runs; i++) {
                    double runCBest = 0;
                    for (int c = firstRunC; c < contenders.size(); c++) {
                        runCBest = Math.max(runCBest, values[c][i]);
                    }
                    ratio[i] = Math.max(values[0][i], values[1][i]) / runCBest;
                }
                System.out.printf(Locale.ROOT, "| %s fp32 | java's best / run.c's best | %.2fx | %s | | load %s |%n", name,
                        median(ratio), formatRatios(ratio), loadAverage());
            }
        }
    }

    /** {@code runs} turns of every contender after a warm-up of each (as {@link #measure}): [contender][turn]. */
    private double[][] inTurns(List<Contender> contenders) throws Exception {
        for (Contender contender : contenders) {
            long start = System.nanoTime();
            for (int i = 0; i < 2 || System.nanoTime() - start < WARMUP_NANOS; i++) {
                contender.measurement().tokensPerSecond();
            }
        }
        double[][] values = new double[contenders.size()][runs];
        for (int i = 0; i < runs; i++) {
            for (int c = 0; c < contenders.size(); c++) {
                values[c][i] = contenders.get(c).measurement().tokensPerSecond();
            }
        }
        return values;
    }

    /** Reports the CPU engine's row and returns the weight bytes it reads per token. */
    private long javaRow(String name, Path checkpoint, Quantization quantization, int threads, int steps) throws Exception {
        try (CpuEngine engine = open(checkpoint, quantization, threads)) {
            report(name, "java, " + threads + " thread" + (threads == 1 ? "" : "s"), measure(() -> decode(engine, steps)),
                    engine.weightBytesPerToken());
            return engine.weightBytesPerToken();
        }
    }

    private static CpuEngine open(Path checkpoint, Quantization quantization, int threads) {
        ModelFiles files = ModelFiles.map(checkpoint);
        return CpuEngine.open(files.config(), files.weights(), InferenceOptions.defaults().withQuantization(quantization), threads);
    }

    /** Greedy from BOS as run.c: tokens/s of the steps after the first, stopping at a generated BOS. */
    static double decode(InferenceEngine engine, int steps) {
        try (Sequence row = engine.newSequence(steps)) {
            Batch batch = new Batch();
            int token = BOS, position = 0;
            long start = 0;
            while (position < steps) {
                engine.forward(batch.clear().add(row, token));
                int next = argmax(row.logits());
                position++;
                if (next == BOS) {
                    break;
                }
                token = next;
                if (start == 0) {
                    start = System.nanoTime();
                }
            }
            return (position - 1) / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Batch 16 against batch 1 (decode from position 2, 64 steps), with 1 and 2 threads, measured in turns (after a
     * warm-up of both) so that both see the same load on a shared machine: the ratio is the median of the runs' own
     * ratios. Then prefill of a 128-token prompt (2 threads), on the 15M model.
     */
    private void batchRows(Path checkpoint) throws Exception {
        for (int threads : new int[] {1, 2}) {
            try (CpuEngine engine = open(checkpoint, Quantization.NONE, threads)) {
                long start = System.nanoTime();
                for (int i = 0; i < 2 || System.nanoTime() - start < WARMUP_NANOS; i++) {
                    batchDecode(engine, 1, 64);
                    batchDecode(engine, 16, 64);
                }
                double[] one = new double[runs], sixteen = new double[runs], ratio = new double[runs];
                for (int i = 0; i < runs; i++) {
                    one[i] = batchDecode(engine, 1, 64);
                    sixteen[i] = batchDecode(engine, 16, 64);
                    ratio[i] = sixteen[i] / one[i];
                }
                String label = "java, " + threads + " thread" + (threads == 1 ? "" : "s");
                report("random 15M fp32", label + ", batch 1 decode", one, 0);
                report("random 15M fp32", label + ", batch 16 decode", sixteen, 0);
                System.out.printf(Locale.ROOT, "| random 15M fp32 | %s, batch 16 / batch 1 | %.2fx | %s | | load %s |%n",
                        label, median(ratio), formatRatios(ratio), loadAverage());
            }
        }
        try (CpuEngine engine = open(checkpoint, Quantization.NONE, 2)) {
            report("random 15M fp32", "java, batch 1 prefill (128 tokens)", measure(() -> prefill(engine, 128)), 0);
        }
    }

    private static String formatRatios(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double v : values) {
            out.append(out.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return out.toString();
    }

    private static double batchDecode(InferenceEngine engine, int rows, int steps) {
        Sequence[] sequences = new Sequence[rows];
        int[] tokens = new int[rows];
        Batch batch = new Batch();
        for (int r = 0; r < rows; r++) {
            sequences[r] = engine.newSequence(steps + 2);
            batch.add(sequences[r], new int[] {BOS, 3 + r}, 0, 2, true);
        }
        engine.forward(batch);
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            batch.clear();
            for (int r = 0; r < rows; r++) {
                tokens[r] = argmax(sequences[r].logits());
                batch.add(sequences[r], tokens[r]);
            }
            engine.forward(batch);
        }
        double rate = (double) rows * steps / ((System.nanoTime() - start) / 1e9);
        Arrays.stream(sequences).forEach(Sequence::close);
        return rate;
    }

    private static double prefill(InferenceEngine engine, int tokens) {
        int[] prompt = new int[tokens];
        Arrays.fill(prompt, 100);
        prompt[0] = BOS;
        try (Sequence row = engine.newSequence(tokens)) {
            long start = System.nanoTime();
            engine.forward(new Batch().add(row, prompt, 0, tokens, true));
            return tokens / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Opening a 1.19 GB fp32 safetensors checkpoint (and its first token), the CPU engine against libtorch. */
    private void load() throws Exception {
        Path model = dir.resolve("load-1.19GB");
        if (!Files.isRegularFile(model.resolve("model.safetensors"))) {
            LlamaConfig config = LlamaConfig.llama(1024, 2816, 18, 16, 16, 32000, 2048, false);
            CausalLm random = Architectures.randomLlama(config, Precision.FP32, new Device("cpu"), 1);
            ModelDirectory.save(random, model, SharedData.path("models/llama2_tokenizer/tokenizer.model"));
        }
        double gigabytes = Files.size(model.resolve("model.safetensors")) / 1e9;
        for (EngineChoice engine : List.of(EngineChoice.JAVA, EngineChoice.TORCH)) {
            double[] open = new double[runs], first = new double[runs];
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                try (InferenceModel loaded = ModelDirectory.openForInference(model, null,
                        InferenceOptions.defaults().withEngine(engine))) {
                    open[run] = (System.nanoTime() - start) / 1e9;
                    try (Sequence row = loaded.engine().newSequence(1)) {
                        loaded.engine().forward(new Batch().add(row, BOS));
                    }
                    first[run] = (System.nanoTime() - start) / 1e9;
                }
            }
            System.out.printf(Locale.ROOT, "| load %.2f GB safetensors | %s | open %.2f s (%s) | open + first token %.2f s |%n",
                    gigabytes, engine.name().toLowerCase(Locale.ROOT), median(open), Arrays.toString(open), median(first));
        }
    }

    private Path randomModel(String preset, String file) throws Exception {
        Path path = dir.resolve(file);
        if (!Files.isRegularFile(path)) {
            Files.createDirectories(dir);
            Llama model = Architectures.randomLlama(LlamaConfig.preset(preset, 32000), Precision.FP32, new Device("cpu"), 1);
            Llama2cCheckpoint.write(model, path);
        }
        return path;
    }

    @FunctionalInterface
    private interface Measurement {
        double tokensPerSecond() throws Exception;
    }

    /** {@code runs} measurements after at least two discarded ones lasting {@link #WARMUP_NANOS} together. */
    private double[] measure(Measurement measurement) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < 2 || System.nanoTime() - start < WARMUP_NANOS; i++) {
            measurement.tokensPerSecond();
        }
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = measurement.tokensPerSecond();
        }
        return values;
    }

    private void report(String model, String engine, double[] values, long bytesPerToken) {
        double rate = median(values);
        String fraction = bandwidth > 0 && bytesPerToken > 0
                ? String.format(Locale.ROOT, "%.0f%% (%.1f GB/s)", 100 * rate * bytesPerToken / 1e9 / bandwidth,
                        rate * bytesPerToken / 1e9) : "";
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %s | %s | load %s |%n", model, engine, rate, format(values), fraction,
                loadAverage());
    }

    private static String format(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double v : values) {
            out.append(out.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return out.toString();
    }

    /** Greedy's pick, as the engine's samplers make it (llama2.c's argmax: the first largest logit). */
    static int argmax(float[] logits) {
        return VectorMath.argmax(logits, logits.length);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
