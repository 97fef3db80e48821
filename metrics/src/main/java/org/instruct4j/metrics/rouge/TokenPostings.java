package org.instruct4j.metrics.rouge;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * An inverted index of token occurrences: for token t and k >= 0, the entries (ascending) that hold t more than
 * k times. Treating the k-th copy of a token as its own element turns the multiset token overlap of two texts,
 * an upper bound of their LCS, into the size of a set intersection, which is what prefix filtering needs.
 * Not thread-safe for writes; {@link RougeLIndex} guards it.
 */
final class TokenPostings {
    private final List<List<IntList>> postings = new ArrayList<>();

    /** Registers {@code entry}, whose token ids (all >= 0) are given sorted ascending. */
    void add(int entry, int[] sortedTokens) {
        forEachOccurrence(sortedTokens, (token, k) -> {
            while (postings.size() <= token) {
                postings.add(new ArrayList<>(1));
            }
            List<IntList> byCopy = postings.get(token);
            if (byCopy.size() == k) {
                byCopy.add(new IntList());
            }
            byCopy.get(k).add(entry);
        });
    }

    /**
     * The entries that share at least one of the {@code count} occurrences of {@code sortedQuery} with the
     * shortest posting lists. Any entry whose overlap with the query is at least {@code n - count + 1} (n the
     * query length) is among them: it cannot miss all {@code count} of them. Negative ids (words no entry has)
     * are occurrences with empty lists, the cheapest to pick.
     */
    int[] entriesSharingRarest(int[] sortedQuery, int count, int entryCount) {
        List<int[]> occurrences = new ArrayList<>();
        forEachOccurrence(sortedQuery, (token, k) -> occurrences.add(new int[] {token, k, get(token, k).size}));
        int needed = count - (sortedQuery.length - occurrences.size());
        BitSet entries = new BitSet(entryCount);
        if (needed > 0) {
            occurrences.sort(Comparator.comparingInt(occurrence -> occurrence[2]));
            for (int[] occurrence : occurrences.subList(0, Math.min(needed, occurrences.size()))) {
                IntList list = get(occurrence[0], occurrence[1]);
                for (int i = 0; i < list.size; i++) {
                    entries.set(list.values[i]);
                }
            }
        }
        return entries.stream().toArray();
    }

    /** The multiset token overlap of {@code sortedQuery} with every entry. */
    int[] overlaps(int[] sortedQuery, int entryCount) {
        int[] overlaps = new int[entryCount];
        forEachOccurrence(sortedQuery, (token, k) -> {
            IntList list = get(token, k);
            for (int i = 0; i < list.size; i++) {
                overlaps[list.values[i]]++;
            }
        });
        return overlaps;
    }

    private IntList get(int token, int k) {
        if (token >= postings.size()) {
            return IntList.EMPTY;
        }
        List<IntList> byCopy = postings.get(token);
        return k < byCopy.size() ? byCopy.get(k) : IntList.EMPTY;
    }

    private interface OccurrenceVisitor {
        void visit(int token, int k);
    }

    /** Visits (token, k) for every non-negative token of a sorted array and every k below its count. */
    private static void forEachOccurrence(int[] sorted, OccurrenceVisitor visitor) {
        for (int i = 0; i < sorted.length; ) {
            int end = i;
            while (end < sorted.length && sorted[end] == sorted[i]) {
                end++;
            }
            if (sorted[i] >= 0) {
                for (int k = 0; k < end - i; k++) {
                    visitor.visit(sorted[i], k);
                }
            }
            i = end;
        }
    }
}
