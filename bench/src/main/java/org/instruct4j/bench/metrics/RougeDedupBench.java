package org.instruct4j.bench.metrics;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.metrics.rouge.RougeLIndex;
import org.instruct4j.metrics.rouge.RougeTokenizer;

/**
 * Alpaca's ROUGE-L > 0.7 de-duplication loop over 50,000 proposed instructions (the 175 seeds first, then the
 * 5,000 real Alpaca instructions and realistic variants of them), with {@link RougeLIndex}, against the
 * brute-force scan of Alpaca's generate_instruction.py (every kept instruction, table LCS) on a prefix.
 * Run by hand: {@code java -cp ... org.instruct4j.bench.metrics.RougeDedupBench [candidates] [prefix] [runs]}.
 */
public final class RougeDedupBench {
    private static final double THRESHOLD = 0.7;
    private static final int WINDOW = 5_000;

    private RougeDedupBench() {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int prefix = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> seeds = BenchTexts.seedInstructions();
        List<String> candidates = BenchTexts.instructionStream(count, 42);
        System.out.printf("cores=%d seeds=%d candidates=%d runs=%d (median reported)%n",
                Runtime.getRuntime().availableProcessors(), seeds.size(), count, runs);

        int[] kept = new int[1];
        double[] lastWindow = new double[1];
        double filter = Timing.medianSeconds(1, runs, () -> {
            RougeLIndex index = seeded(seeds);
            long windowStart = System.nanoTime();
            for (int i = 0; i < candidates.size(); i++) {
                index.addIfNoneAbove(candidates.get(i), THRESHOLD);
                if ((i + 1) % WINDOW == 0) {
                    lastWindow[0] = (System.nanoTime() - windowStart) / 1e9 / WINDOW;
                    windowStart = System.nanoTime();
                }
            }
            kept[0] = index.size() - seeds.size();
        });
        System.out.printf("index, filter only (addIfNoneAbove): %.2f s total, %.1f us/candidate mean, "
                        + "%.1f us/candidate over the last %,d; kept %,d of %,d%n",
                filter, filter / count * 1e6, lastWindow[0] * 1e6, WINDOW, kept[0], count);

        double withRecord = Timing.medianSeconds(1, runs, () -> {
            RougeLIndex index = seeded(seeds);
            for (String candidate : candidates) {
                if (!index.anyAbove(candidate, THRESHOLD)) {
                    index.similarity(candidate, 10);
                    index.add(candidate);
                }
            }
        });
        System.out.printf("index, Alpaca's record too (anyAbove, then similarity top-10 + mean for kept): "
                + "%.2f s total, %.1f us/candidate%n", withRecord, withRecord / count * 1e6);

        List<String> head = candidates.subList(0, Math.min(prefix, candidates.size()));
        int[] keptByBruteForce = new int[1];
        double bruteForce = Timing.medianSeconds(0, runs, () -> keptByBruteForce[0] = bruteForceLoop(seeds, head));
        int[] keptByIndex = new int[1];
        double indexed = Timing.medianSeconds(1, runs, () -> {
            RougeLIndex index = seeded(seeds);
            head.forEach(candidate -> index.addIfNoneAbove(candidate, THRESHOLD));
            keptByIndex[0] = index.size() - seeds.size();
        });
        if (keptByBruteForce[0] != keptByIndex[0]) {
            throw new IllegalStateException("brute force kept " + keptByBruteForce[0] + ", index " + keptByIndex[0]);
        }
        System.out.printf("first %,d candidates: brute force (Alpaca's scan, table LCS, 1 thread) %.2f s, "
                        + "index %.3f s, %.0fx faster; both kept %,d%n",
                head.size(), bruteForce, indexed, bruteForce / indexed, keptByIndex[0]);
    }

    private static RougeLIndex seeded(List<String> seeds) {
        RougeLIndex index = new RougeLIndex();
        seeds.forEach(index::add);
        return index;
    }

    /** generate_instruction.py's loop: score the new instruction against every kept one, keep if max <= 0.7. */
    private static int bruteForceLoop(List<String> seeds, List<String> candidates) {
        List<List<String>> all = new ArrayList<>();
        seeds.forEach(seed -> all.add(RougeTokenizer.DEFAULT.tokenize(seed, false)));
        int kept = 0;
        for (String candidate : candidates) {
            List<String> tokens = RougeTokenizer.DEFAULT.tokenize(candidate, false);
            double max = 0;
            for (List<String> existing : all) {
                max = Math.max(max, TableLcsBaseline.fmeasure(tokens, existing));
            }
            if (max <= THRESHOLD) {
                all.add(tokens);
                kept++;
            }
        }
        return kept;
    }
}
