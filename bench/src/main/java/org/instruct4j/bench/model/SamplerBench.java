package org.instruct4j.bench.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.TokenSampler;

/**
 * Milliseconds per sampled token at a large vocabulary (Qwen2's 152,064 by default), random logits: the
 * TokenSampler with common settings against the sampler it replaced (every logit boxed and the whole vocabulary
 * sorted per token; {@link BoxingSortSampler}), in the same run.
 *
 * <p>Usage: {@code bench/run model.SamplerBench [vocab=152064] [draws=1000]}
 */
public final class SamplerBench {
    private SamplerBench() {}

    public static void main(String[] args) {
        int vocab = args.length > 0 ? Integer.parseInt(args[0]) : 152_064;
        int draws = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Random random = new Random(7);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        System.out.println("load average at start: " + ModelBenchmark.loadAverage() + ", vocabulary " + vocab);
        GenerationConfig base = GenerationConfig.greedy(1);
        report("greedy", time(new TokenSampler(base, vocab)::next, logits, draws));
        report("temperature 1.0", time(new TokenSampler(base.withSampling(1.0, 1.0, 0, 1), vocab)::next, logits, draws));
        report("temperature 1.0, top-p 0.9", time(new TokenSampler(base.withSampling(1.0, 0.9, 0, 1), vocab)::next, logits, draws));
        report("temperature 0.7, top-k 40, top-p 0.9",
                time(new TokenSampler(base.withSampling(0.7, 0.9, 40, 1), vocab)::next, logits, draws));
        TokenSampler penalized = new TokenSampler(base.withSampling(1.0, 0.9, 0, 1).withRepetitionPenalty(1.1), vocab);
        for (int i = 0; i < 500; i++) {
            penalized.observe(random.nextInt(vocab));
        }
        report("temperature 1.0, top-p 0.9, repetition penalty (500 seen)", time(penalized::next, logits, draws));
        BoxingSortSampler old = new BoxingSortSampler(1.0, 0.9, 0, 1);
        report("baseline: boxing + full sort, temperature 1.0, top-p 0.9", time(old::next, logits, Math.max(20, draws / 50)));
        System.out.println("load average at end: " + ModelBenchmark.loadAverage());
    }

    private interface Sampling {
        int next(float[] logits);
    }

    /** Median milliseconds per call, after as many warm-up calls. */
    private static double[] time(Sampling sampler, float[] logits, int draws) {
        double[] ms = new double[draws];
        int sink = 0;
        for (int i = 0; i < draws; i++) {
            sink += sampler.next(logits);
        }
        for (int i = 0; i < draws; i++) {
            long start = System.nanoTime();
            sink += sampler.next(logits);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        if (sink == 42) {
            System.out.print("");
        }
        return ms;
    }

    private static void report(String what, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %.3f ms median | %.3f ms p90 |%n", what, sorted[sorted.length / 2],
                sorted[sorted.length * 9 / 10]);
    }
}
