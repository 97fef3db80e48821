package org.instruct4j.metrics.rouge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * The ROUGE-L near-duplicate filter of Self-Instruct / Alpaca's {@code generate_instruction.py}: instructions kept
 * so far, and the ROUGE-L F-measure of a new instruction against each of them, computed as there with
 * {@code rouge_scorer._score_lcs(new_tokens, existing_tokens)} on rouge-score's tokenizer without stemming
 * (a new instruction is rejected when the maximum exceeds 0.7).
 *
 * <p>Results equal a brute-force scan over all entries, but queries do not scan: the candidate is checked only
 * against entries that can reach the threshold by two exact upper bounds of the F-measure
 * {@code 2 * lcs / (n + m)}: {@code lcs <= min(n, m)} and {@code lcs <= } multiset token overlap. An inverted
 * index (token occurrence to entries) yields the entries that share enough tokens (prefix filtering: an entry
 * with overlap of at least a shares one of the candidate's n - a + 1 rarest token occurrences), the surviving
 * entries get a bit-parallel LCS, in parallel, stopping at the first hit.
 *
 * <p>Thread-safe: queries run concurrently, additions exclusively.
 */
public final class RougeLIndex {

    /** The F-measure of the new instruction against the kept instruction number {@code index}. */
    public record Match(int index, String instruction, double fmeasure) {}

    /**
     * What Alpaca records for a kept instruction: the highest score, the mean over all kept instructions
     * ({@code avg_similarity_score}) and the most similar ones ({@code most_similar_instructions}).
     */
    public record Similarity(double max, double mean, List<Match> mostSimilar) {}

    /**
     * Pruning compares bounds with this much slack, so that floating-point rounding in rouge-score's
     * F-measure formula (2PR/(P+R) rather than 2l/(n+m)) can never drop an entry the brute force would count.
     */
    private static final double SLACK = 1e-9;
    /** Below this many entries to check, a parallel stream costs more than it saves. */
    private static final int PARALLEL_MIN = 2048;

    private final RougeTokenizer tokenizer;
    private final boolean stemming;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> vocabulary = new HashMap<>();
    private final List<String> instructions = new ArrayList<>();
    private final List<int[]> tokens = new ArrayList<>();
    private final List<int[]> sortedTokens = new ArrayList<>();
    /** postings.get(token).get(k): the entries holding {@code token} more than k times, ascending. */
    private final List<List<IntList>> postings = new ArrayList<>();

    /** Alpaca's setting: rouge-score's tokenizer, no stemming. */
    public RougeLIndex() {
        this(RougeTokenizer.DEFAULT, false);
    }

    public RougeLIndex(RougeTokenizer tokenizer, boolean stemming) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.stemming = stemming;
    }

    /** Keeps {@code instruction}; returns its index. */
    public int add(String instruction) {
        Objects.requireNonNull(instruction, "instruction");
        lock.writeLock().lock();
        try {
            return addLocked(instruction);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Keeps {@code instruction} unless its score against some kept instruction exceeds {@code threshold}, as one
     * atomic step so that concurrent generators cannot both keep two near-duplicates.
     */
    public boolean addIfNoneAbove(String instruction, double threshold) {
        Objects.requireNonNull(instruction, "instruction");
        lock.writeLock().lock();
        try {
            if (anyAboveLocked(prepare(instruction), threshold)) {
                return false;
            }
            addLocked(instruction);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return instructions.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public String instruction(int index) {
        lock.readLock().lock();
        try {
            return instructions.get(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether the score of {@code candidate} against any kept instruction is strictly above {@code threshold}. */
    public boolean anyAbove(String candidate, double threshold) {
        Objects.requireNonNull(candidate, "candidate");
        lock.readLock().lock();
        try {
            return anyAboveLocked(prepare(candidate), threshold);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The highest score of {@code candidate} against the kept instructions; 0 when none is kept. */
    public double maxRougeL(String candidate) {
        Objects.requireNonNull(candidate, "candidate");
        lock.readLock().lock();
        try {
            return maxLocked(prepare(candidate));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The score of {@code candidate} against every kept instruction, in index order: a full parallel scan. */
    public double[] scores(String candidate) {
        Objects.requireNonNull(candidate, "candidate");
        lock.readLock().lock();
        try {
            return scoresLocked(prepare(candidate));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Alpaca's record for a kept instruction: max, mean and the {@code topK} most similar kept instructions
     * (highest score first, ties by lower index). Needs every score, so it is a full scan.
     */
    public Similarity similarity(String candidate, int topK) {
        Objects.requireNonNull(candidate, "candidate");
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        lock.readLock().lock();
        try {
            double[] scores = scoresLocked(prepare(candidate));
            double sum = 0;
            double max = 0;
            for (double score : scores) {
                sum += score;
                max = Math.max(max, score);
            }
            List<Match> top = IntStream.range(0, scores.length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                    .limit(topK)
                    .map(i -> new Match(i, instructions.get(i), scores[i]))
                    .toList();
            return new Similarity(max, scores.length == 0 ? 0 : sum / scores.length, top);
        } finally {
            lock.readLock().unlock();
        }
    }

    private int addLocked(String instruction) {
        List<String> words = tokenizer.tokenize(instruction, stemming);
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.computeIfAbsent(words.get(i), word -> {
                postings.add(new ArrayList<>(1));
                return vocabulary.size();
            });
        }
        int index = instructions.size();
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; ) {
            int end = i;
            while (end < sorted.length && sorted[end] == sorted[i]) {
                end++;
            }
            List<IntList> byOccurrence = postings.get(sorted[i]);
            for (int k = 0; k < end - i; k++) {
                if (byOccurrence.size() == k) {
                    byOccurrence.add(new IntList());
                }
                byOccurrence.get(k).add(index);
            }
            i = end;
        }
        instructions.add(instruction);
        tokens.add(ids);
        sortedTokens.add(sorted);
        return index;
    }

    /** The candidate as vocabulary ids (-1 for words no kept instruction has), plus its LCS bit pattern. */
    private Query prepare(String candidate) {
        List<String> words = tokenizer.tokenize(candidate, stemming);
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.getOrDefault(words.get(i), -1);
        }
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        return new Query(ids, sorted, new BitParallelLcs(ids, vocabulary.size()));
    }

    private boolean anyAboveLocked(Query query, double threshold) {
        int size = instructions.size();
        if (size == 0) {
            return false;
        }
        if (threshold < 0) {
            return true;
        }
        int n = query.ids.length;
        double bound = threshold - SLACK;
        int minOverlap = minimumOverlap(n, bound);
        if (minOverlap > n) {
            return false;
        }
        int[] entries = entriesSharingOneOf(rarestOccurrences(query, n - minOverlap + 1), size);
        IntStream stream = IntStream.of(entries);
        if (entries.length >= PARALLEL_MIN) {
            stream = stream.parallel();
        }
        return stream.anyMatch(entry -> mayExceed(query, entry, bound) && score(query, entry) > threshold);
    }

    private double maxLocked(Query query) {
        int size = instructions.size();
        int n = query.ids.length;
        if (size == 0 || n == 0) {
            return 0;
        }
        int[] overlaps = new int[size];
        forEachOccurrence(query, (token, k) -> {
            IntList entries = postings(token, k);
            for (int i = 0; i < entries.size; i++) {
                overlaps[entries.values[i]]++;
            }
        });
        int seed = -1;
        double seedBound = -1;
        for (int entry = 0; entry < size; entry++) {
            double bound = 2.0 * overlaps[entry] / (n + tokens.get(entry).length);
            if (overlaps[entry] > 0 && bound > seedBound) {
                seed = entry;
                seedBound = bound;
            }
        }
        if (seed < 0) {
            return 0;
        }
        double best = score(query, seed);
        for (int entry = 0; entry < size; entry++) {
            if (overlaps[entry] > 0 && 2.0 * overlaps[entry] / (n + tokens.get(entry).length) > best - SLACK) {
                best = Math.max(best, score(query, entry));
            }
        }
        return best;
    }

    private double[] scoresLocked(Query query) {
        double[] scores = new double[instructions.size()];
        IntStream.range(0, scores.length).parallel().forEach(entry -> scores[entry] = score(query, entry));
        return scores;
    }

    /** rouge-score's {@code _score_lcs(candidate, entry).fmeasure}: the entry is the "prediction". */
    private double score(Query query, int entry) {
        int[] entryTokens = tokens.get(entry);
        if (query.ids.length == 0 || entryTokens.length == 0) {
            return 0;
        }
        int lcs = query.lcs.lcsWith(entryTokens);
        return RougeScore.fmeasure((double) lcs / entryTokens.length, (double) lcs / query.ids.length);
    }

    /** Whether neither length nor token overlap rules out an F-measure above {@code bound}. */
    private boolean mayExceed(Query query, int entry, double bound) {
        int n = query.ids.length;
        int m = tokens.get(entry).length;
        if (2.0 * Math.min(n, m) / (n + m) <= bound) {
            return false;
        }
        return 2.0 * overlap(query.sorted, sortedTokens.get(entry)) / (n + m) > bound;
    }

    /** The smallest LCS length l for which some entry could score 2l/(n+m) above {@code bound} (m >= l). */
    private static int minimumOverlap(int n, double bound) {
        for (int l = 1; l <= n; l++) {
            if (2.0 * l / (n + l) > bound) {
                return l;
            }
        }
        return n + 1;
    }

    /** The {@code count} occurrences (token, k) of the candidate with the shortest posting lists. */
    private List<long[]> rarestOccurrences(Query query, int count) {
        List<long[]> occurrences = new ArrayList<>();
        forEachOccurrence(query, (token, k) -> occurrences.add(new long[] {token, k, postings(token, k).size}));
        int unknown = query.ids.length - occurrences.size();
        // Words no kept instruction has are occurrences with empty posting lists: the cheapest choice.
        int needed = count - unknown;
        if (needed <= 0) {
            return List.of();
        }
        occurrences.sort(Comparator.comparingLong(o -> o[2]));
        return occurrences.subList(0, Math.min(needed, occurrences.size()));
    }

    private int[] entriesSharingOneOf(List<long[]> occurrences, int size) {
        BitSet entries = new BitSet(size);
        for (long[] occurrence : occurrences) {
            IntList list = postings((int) occurrence[0], (int) occurrence[1]);
            for (int i = 0; i < list.size; i++) {
                entries.set(list.values[i]);
            }
        }
        return entries.stream().toArray();
    }

    private interface OccurrenceVisitor {
        void visit(int token, int k);
    }

    /** Visits (token, k) for each known token and k below its count in the candidate. */
    private static void forEachOccurrence(Query query, OccurrenceVisitor visitor) {
        int[] sorted = query.sorted;
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

    private IntList postings(int token, int k) {
        List<IntList> byOccurrence = postings.get(token);
        return k < byOccurrence.size() ? byOccurrence.get(k) : IntList.EMPTY;
    }

    /** Multiset intersection size of two sorted id arrays. */
    private static int overlap(int[] a, int[] b) {
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

    private record Query(int[] ids, int[] sorted, BitParallelLcs lcs) {}

    /** A growable int array: posting lists hold millions of ints, which boxed lists would triple. */
    private static final class IntList {
        static final IntList EMPTY = new IntList();

        int[] values = new int[4];
        int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }
    }
}
