package org.instruct4j.bench.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.instruct4j.bench.serve.ServeLoadBench;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.cpu.VectorMath;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.tensor.Precision;

/**
 * What a bfloat16 KV cache ({@code --kv-cache-dtype bf16}) buys the CPU engine where attention reads the most: many
 * rows decoding long contexts, as a busy server's batch does. Two engines over the same model (a random model of
 * llama2.c's 15M shape, or stories260K), one with a float32 cache and one with a bfloat16 cache, take turns: each opens
 * {@code rows} rows, reads a prompt of {@code context} random tokens into each (one pass per row, not timed), then
 * decodes {@code steps} steps of all rows together (each row's next token its greedy pick) and is timed. Prints each
 * turn, the medians and the median of the turns' ratios.
 *
 * <p>Usage: {@code KvCacheBench [model=15M|260K] [rows=28] [context=128] [steps=64] [turns=7]}
 */
public final class KvCacheBench {
    private KvCacheBench() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "15M";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 28;
        int context = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int turns = args.length > 4 ? Integer.parseInt(args[4]) : 7;
        InferenceOptions java = InferenceOptions.defaults().withEngine(EngineChoice.JAVA);
        try (InferenceModel fp32 = ServeLoadBench.load(which, java);
             InferenceModel bf16 = ServeLoadBench.load(which, java.withKvCache(Precision.BF16))) {
            if (context + steps > fp32.engine().maxPositions()) {
                throw new IllegalArgumentException("context + steps must fit the model's " + fp32.engine().maxPositions() + " positions");
            }
            System.out.printf("model %s; %d rows decoding %d steps from a context of %d tokens (positions %d-%d)%n  fp32: %s%n"
                    + "  bf16: %s%n", which, rows, steps, context, context, context + steps - 1, fp32.engine().description(),
                    bf16.engine().description());
            decode(fp32.engine(), rows, context, steps); // warm-up of both, unmeasured
            decode(bf16.engine(), rows, context, steps);
            double[] f = new double[turns], b = new double[turns], ratios = new double[turns];
            for (int t = 0; t < turns; t++) {
                f[t] = decode(fp32.engine(), rows, context, steps);
                b[t] = decode(bf16.engine(), rows, context, steps);
                ratios[t] = b[t] / f[t];
                System.out.printf("  turn %d: fp32 cache %.1f tokens/s | bf16 cache %.1f tokens/s | %.3fx%n", t + 1, f[t], b[t], ratios[t]);
            }
            System.out.printf("medians of %d turns: fp32 cache %.1f tokens/s, bf16 cache %.1f tokens/s; bf16 / fp32 %.3fx "
                    + "(median of the turns' ratios)%n", turns, ModelBenchmark.median(f), ModelBenchmark.median(b),
                    ModelBenchmark.median(ratios));
        }
    }

    /** Decoded tokens per second of {@code rows} rows over {@code steps} steps after a {@code context}-token prompt each. */
    private static double decode(InferenceEngine engine, int rows, int context, int steps) {
        Random random = new Random(7);
        List<Sequence> open = new ArrayList<>();
        try {
            int[] next = new int[rows];
            for (int r = 0; r < rows; r++) {
                Sequence row = engine.newSequence(context + steps);
                open.add(row);
                int[] prompt = random.ints(context, 3, engine.vocabSize()).toArray();
                engine.forward(new Batch().add(row, prompt, 0, context, true));
                next[r] = VectorMath.argmax(row.logits(), engine.vocabSize());
            }
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                Batch batch = new Batch();
                for (int r = 0; r < rows; r++) {
                    batch.add(open.get(r), next[r]);
                }
                engine.forward(batch);
                for (int r = 0; r < rows; r++) {
                    next[r] = VectorMath.argmax(open.get(r).logits(), engine.vocabSize());
                }
            }
            return (double) rows * steps / ((System.nanoTime() - start) / 1e9);
        } finally {
            open.forEach(Sequence::close);
        }
    }
}
