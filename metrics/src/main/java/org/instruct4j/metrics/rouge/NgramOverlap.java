package org.instruct4j.metrics.rouge;

import java.util.Arrays;

/** rouge-score's {@code _score_ngrams}: clipped n-gram overlap of two id sequences. */
final class NgramOverlap {
    private NgramOverlap() {}

    /**
     * Precision = overlap / max(prediction n-grams, 1), recall = overlap / max(target n-grams, 1), where the
     * overlap counts each distinct n-gram min(target count, prediction count) times.
     */
    static RougeScore score(int[] target, int[] prediction, int n, int alphabetSize) {
        int targetCount = Math.max(target.length - n + 1, 0);
        int predictionCount = Math.max(prediction.length - n + 1, 0);
        int overlap = n == 1 ? unigramOverlap(target, prediction, alphabetSize) : ngramOverlap(target, prediction, n,
                alphabetSize);
        double precision = (double) overlap / Math.max(predictionCount, 1);
        double recall = (double) overlap / Math.max(targetCount, 1);
        return RougeScore.of(precision, recall);
    }

    private static int unigramOverlap(int[] target, int[] prediction, int alphabetSize) {
        int[] available = new int[alphabetSize];
        for (int token : prediction) {
            available[token]++;
        }
        int overlap = 0;
        for (int token : target) {
            if (available[token] > 0) {
                available[token]--;
                overlap++;
            }
        }
        return overlap;
    }

    /** Sorted n-gram codes of both sides, merged; equal codes pair up one to one. */
    private static int ngramOverlap(int[] target, int[] prediction, int n, int alphabetSize) {
        long[] a = codes(target, n, alphabetSize);
        long[] b = codes(prediction, n, alphabetSize);
        int overlap = 0;
        for (int i = 0, j = 0; i < a.length && j < b.length; ) {
            if (a[i] == b[j]) {
                overlap++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return overlap;
    }

    /** Each n-gram as one number in base alphabetSize, which is exact while alphabetSize^n < 2^63. */
    private static long[] codes(int[] tokens, int n, int alphabetSize) {
        long[] codes = new long[Math.max(tokens.length - n + 1, 0)];
        for (int i = 0; i < codes.length; i++) {
            long code = 0;
            for (int k = 0; k < n; k++) {
                code = code * alphabetSize + tokens[i + k];
            }
            codes[i] = code;
        }
        Arrays.sort(codes);
        return codes;
    }
}
