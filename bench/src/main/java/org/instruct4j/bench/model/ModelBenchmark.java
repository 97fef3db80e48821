package org.instruct4j.bench.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.checkpoint.Llama2cCheckpoint;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.testkit.SharedData;

/**
 * Prefill and decode tokens/s at batch 1 and 16 for stories260K and random llama2.c-sized 15M and 110M
 * Llamas, fp32 and bf16, and the load time of a 1 GB safetensors checkpoint. Median of 3 runs each.
 *
 * <pre>
 * OMP_WAIT_POLICY=PASSIVE java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 --enable-native-access=ALL-UNNAMED \
 *     -cp ... org.instruct4j.bench.model.ModelBenchmark [models...]   (models: 260K 15M 110M load)
 * </pre>
 */
public final class ModelBenchmark {
    private static final int RUNS = 3;
    private static final int PROMPT_TOKENS = 128;
    private static final int DECODE_TOKENS = 64;
    private static final Device CPU = new Device("cpu");

    private ModelBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<String> which = args.length == 0 ? List.of("260K", "15M", "110M", "load") : List.of(args);
        if (which.get(0).equals("export")) {
            exportForRunC(Path.of(which.get(1)));
            return;
        }
        Tokenizer llama2 = Tokenizers.load(SharedData.path("models/llama2_tokenizer/tokenizer.model"));
        for (Precision precision : Precision.values()) {
            if (which.contains("260K")) {
                LoadedModel stories = ModelDirectory.loadLlama2c(SharedData.path("models/stories260K/stories260K.bin"),
                        SharedData.path("models/stories260K/tok512.bin"), precision, CPU);
                measure("stories260K", stories.model(), stories.tokenizer(), precision);
            }
            if (which.contains("15M")) {
                measure("random 15M", random15M(precision), llama2, precision);
            }
            if (which.contains("110M")) {
                measure("random 110M", random110M(precision), llama2, precision);
            }
        }
        if (which.contains("load")) {
            measureLoad();
        }
    }

    private static Llama random15M(Precision precision) {
        return Architectures.randomLlama(LlamaConfig.preset("small", 32000), precision, CPU, 1);
    }

    private static Llama random110M(Precision precision) {
        return Architectures.randomLlama(LlamaConfig.preset("base", 32000), precision, CPU, 1);
    }

    /** The same random models as llama2.c checkpoints, to time run.c on identical weights. */
    private static void exportForRunC(Path dir) throws Exception {
        Files.createDirectories(dir);
        Llama2cCheckpoint.write(random15M(Precision.FP32), dir.resolve("random15M.bin"));
        Llama2cCheckpoint.write(random110M(Precision.FP32), dir.resolve("random110M.bin"));
        System.out.println("wrote " + dir.resolve("random15M.bin") + " and " + dir.resolve("random110M.bin"));
    }

    private static void measure(String name, CausalLm model, Tokenizer tokenizer, Precision precision) {
        for (int batch : new int[] {1, 16}) {
            int[][] prompts = new int[batch][PROMPT_TOKENS];
            for (int[] prompt : prompts) {
                Arrays.fill(prompt, 3 + batch);
                prompt[0] = tokenizer.bosId();
            }
            Generator generator = new Generator(model, tokenizer);
            GenerationConfig prefillOnly = GenerationConfig.greedy(1).withStopAtEos(false);
            GenerationConfig withDecode = GenerationConfig.greedy(1 + DECODE_TOKENS).withStopAtEos(false);
            generator.generateFromIds(prompts, withDecode); // warm-up
            double[] prefill = new double[RUNS];
            double[] decode = new double[RUNS];
            for (int run = 0; run < RUNS; run++) {
                long start = System.nanoTime();
                generator.generateFromIds(prompts, prefillOnly);
                long prefillNanos = System.nanoTime() - start;
                start = System.nanoTime();
                generator.generateFromIds(prompts, withDecode);
                long decodeNanos = System.nanoTime() - start - prefillNanos;
                prefill[run] = batch * PROMPT_TOKENS / (prefillNanos / 1e9);
                decode[run] = batch * DECODE_TOKENS / (decodeNanos / 1e9);
            }
            System.out.printf("%-12s %-4s batch %2d  prefill %9.0f tok/s  decode %8.0f tok/s (%.2f ms/step)%n",
                    name, precision, batch, median(prefill), median(decode), batch * 1000.0 / median(decode));
        }
    }

    /** Writes a ~1 GB fp32 Llama (250M parameters) as safetensors, then times loading it back. */
    private static void measureLoad() throws Exception {
        Path dir = Files.createTempDirectory("instruct4j-load-bench");
        LlamaConfig config = LlamaConfig.llama(1024, 2816, 18, 16, 16, 32000, 2048, false);
        CausalLm model = Architectures.randomLlama(config, Precision.FP32, CPU, 1);
        ModelDirectory.save(model, dir, SharedData.path("models/llama2_tokenizer/tokenizer.model"));
        long bytes = Files.size(dir.resolve("model.safetensors"));
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            ModelDirectory.load(dir, Precision.FP32, CPU);
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        System.out.printf("load %.2f GB safetensors (fp32): %.2f s median of %s%n", bytes / 1e9,
                median(seconds.stream().mapToDouble(Double::doubleValue).toArray()), seconds);
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
