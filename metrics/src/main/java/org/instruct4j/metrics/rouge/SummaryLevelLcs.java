package org.instruct4j.metrics.rouge;

import java.util.List;

/**
 * ROUGE-Lsum exactly as rouge-score's {@code _summary_level_lcs}: for each reference sentence, the union of one
 * LCS with every candidate sentence (the LCS read back from the DP table with {@code _backtrack_norec}'s
 * tie-breaking, which decides which of several LCSs is taken), then hits clipped by the token counts of both
 * summaries so that no token is counted more often than it occurs.
 */
final class SummaryLevelLcs {
    private SummaryLevelLcs() {}

    static RougeScore score(List<int[]> reference, List<int[]> candidate, int alphabetSize) {
        if (reference.isEmpty() || candidate.isEmpty()) {
            return RougeScore.ZERO;
        }
        int referenceTokens = totalLength(reference);
        int candidateTokens = totalLength(candidate);
        if (referenceTokens == 0 || candidateTokens == 0) {
            return RougeScore.ZERO;
        }
        int[] referenceCounts = counts(reference, alphabetSize);
        int[] candidateCounts = counts(candidate, alphabetSize);
        int longestCandidate = candidate.stream().mapToInt(s -> s.length).max().orElse(0);
        int[] table = new int[0];
        int hits = 0;
        for (int[] sentence : reference) {
            boolean[] inUnion = new boolean[sentence.length];
            int size = (sentence.length + 1) * (longestCandidate + 1);
            if (table.length < size) {
                table = new int[size];
            }
            for (int[] other : candidate) {
                markOneLcs(sentence, other, table, inUnion);
            }
            for (int i = 0; i < sentence.length; i++) {
                int token = sentence[i];
                if (inUnion[i] && candidateCounts[token] > 0 && referenceCounts[token] > 0) {
                    hits++;
                    candidateCounts[token]--;
                    referenceCounts[token]--;
                }
            }
        }
        return RougeScore.of((double) hits / candidateTokens, (double) hits / referenceTokens);
    }

    /** rouge-score's {@code lcs_ind}: fills {@code _lcs_table}, then walks back as {@code _backtrack_norec}. */
    private static void markOneLcs(int[] ref, int[] can, int[] table, boolean[] marks) {
        int cols = can.length + 1;
        for (int j = 0; j < cols; j++) {
            table[j] = 0;
        }
        for (int i = 1; i <= ref.length; i++) {
            int row = i * cols;
            int previousRow = row - cols;
            table[row] = 0;
            for (int j = 1; j < cols; j++) {
                table[row + j] = ref[i - 1] == can[j - 1]
                        ? table[previousRow + j - 1] + 1
                        : Math.max(table[previousRow + j], table[row + j - 1]);
            }
        }
        int i = ref.length;
        int j = can.length;
        while (i > 0 && j > 0) {
            if (ref[i - 1] == can[j - 1]) {
                marks[i - 1] = true;
                i--;
                j--;
            } else if (table[i * cols + j - 1] > table[(i - 1) * cols + j]) {
                j--;
            } else {
                i--;
            }
        }
    }

    private static int totalLength(List<int[]> sentences) {
        int total = 0;
        for (int[] sentence : sentences) {
            total += sentence.length;
        }
        return total;
    }

    private static int[] counts(List<int[]> sentences, int alphabetSize) {
        int[] counts = new int[alphabetSize];
        for (int[] sentence : sentences) {
            for (int token : sentence) {
                counts[token]++;
            }
        }
        return counts;
    }
}
