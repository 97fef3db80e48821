package org.instruct4j.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.pytorch.Device;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.testkit.SharedData;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.dist.Launcher;
import org.instruct4j.train.sft.SftRecipe;

/**
 * Training tokens/s of one process against {@code --nproc 2} on this machine, fp32 and bf16, in the same run: SFT of
 * a random 7M Llama (dim 256, 8 layers, ffn 768, the 512-token vocabulary of stories260K's tokenizer) on Alpaca rows
 * packed into sequences of 256 tokens, global batch 8 (micro-batches of 4: two passes in one process, one pass on each
 * of two). Every run is a fresh JVM started through the same {@link Launcher} and recipe skeleton as {@code train sft
 * --nproc N}; the single process gets all cores' intra-op threads, each of the two workers its share (as the launcher
 * gives them). The runs alternate (1, 2, 2, 1, ...) so both see the same load; the speed of a run is the median of
 * its steps' tokens/s after the first two (JIT, allocator warm-up); the 1-minute load average is printed with each.
 *
 * <pre>bench/run train.DataParallelBench [REPEATS [STEPS]]</pre>
 */
public final class DataParallelBench {
    private static final int WARMUP_STEPS = 2;

    private DataParallelBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            SftRecipe.run(SftRecipe.SETTINGS.resolve(null, List.of(args).subList(1, args.length)), message -> { });
            return;
        }
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int cores = Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("dp-bench");
        Path model = dir.resolve("model");
        ModelDirectory.save(Architectures.randomLlama(LlamaConfig.llama(256, 768, 8, 8, 8, 512, 512, false), Precision.FP32,
                new Device("cpu"), 7), model, SharedData.path("models/stories260K/tok512.bin"));
        Path data = dir.resolve("alpaca-400.jsonl"); // enough rows for the steps; tokenizing all 5000 would dwarf them
        StringBuilder jsonl = new StringBuilder();
        int[] rows = {0};
        Datasets.forEach(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), row -> row.node(), (JsonNode row) -> {
            if (rows[0]++ < 400) {
                jsonl.append(row).append('\n');
            }
        });
        Files.writeString(data, jsonl);
        System.out.printf("load average at start: %s; %d cores; random 7M Llama, seq 256 packed, batch 8, %d steps per run (first %d "
                + "not timed), %d repeats%n", loadAverage(), cores, steps, WARMUP_STEPS, repeats);
        Map<String, List<Double>> speeds = new TreeMap<>();
        int run = 0;
        for (String precision : List.of("fp32", "bf16")) {
            for (int r = 0; r < repeats; r++) {
                int[] order = r % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1};
                for (int nproc : order) {
                    Path output = dir.resolve("run-" + run++);
                    List<String> settings = new ArrayList<>(List.of("--base=" + model,
                            "--data=" + data, "--output=" + output,
                            "--precision=" + precision, "--packing", "--max-length=256", "--batch-size=8", "--micro-batch-size=4",
                            "--max-steps=" + steps, "--save-steps=0", "--lr=1e-4", "--quiet", "--nproc=" + nproc,
                            "--threads=" + Launcher.threadsPerWorker(cores, nproc), "--master-port=" + (29600 + run)));
                    String load = loadAverage();
                    long began = System.nanoTime();
                    start(settings, nproc);
                    double wall = (System.nanoTime() - began) / 1e9;
                    double speed = steadyTokensPerSecond(output);
                    speeds.computeIfAbsent(precision + " nproc " + nproc, k -> new ArrayList<>()).add(speed);
                    System.out.printf("%s nproc %d: %,.0f tokens/s (median of steps %d..%d), run %.1f s, load average %s before, %s after%n",
                            precision, nproc, speed, WARMUP_STEPS + 1, steps, wall, load, loadAverage());
                }
            }
        }
        System.out.println();
        System.out.println("| precision | 1 process tok/s | --nproc 2 tok/s | ratio (medians) |");
        System.out.println("|---|---:|---:|---:|");
        for (String precision : List.of("fp32", "bf16")) {
            double one = median(speeds.get(precision + " nproc 1"));
            double two = median(speeds.get(precision + " nproc 2"));
            System.out.printf("| %s | %,.0f | %,.0f | %.2fx |%n", precision, one, two, two / one);
        }
        System.out.println("load average at end: " + loadAverage());
    }

    /** One run: a single worker JVM without a world, or the launcher's workers. */
    private static void start(List<String> settings, int nproc) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DataParallelBench.class.getName(), "worker"));
        command.addAll(settings);
        if (nproc == 1) {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("the single-process run failed: " + process.exitValue());
            }
            return;
        }
        Settings resolved = SftRecipe.SETTINGS.resolve(null, settings);
        PrintWriter out = new PrintWriter(System.out, true);
        new Launcher(command, resolved, out, new PrintWriter(System.err, true)).run();
    }

    private static double steadyTokensPerSecond(Path output) {
        List<Double> rates = new ArrayList<>();
        Datasets.forEach(output.resolve("metrics.jsonl"), row -> row.node(), (JsonNode row) -> {
            if (row.has("tokens_per_second") && row.get("step").asInt() > WARMUP_STEPS) {
                rates.add(row.get("tokens_per_second").asDouble());
            }
        });
        return median(rates);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
