package org.instruct4j.metrics.rouge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The ROUGE-L near-duplicate filter of Self-Instruct / Alpaca's {@code generate_instruction.py}: instructions kept
 * so far, and the ROUGE-L F-measure of a new instruction against each of them, computed as there with
 * {@code rouge_scorer._score_lcs(new_tokens, existing_tokens)} on rouge-score's tokenizer without stemming
 * (a new instruction is rejected when the maximum exceeds 0.7).
 *
 * <p>Results equal a brute-force scan over all entries, but threshold and maximum queries do not scan. The
 * F-measure equals {@code 2 * lcs / (n + m)} for lengths n and m, and has two exact upper bounds:
 * {@code lcs <= min(n, m)} and {@code lcs <= } the multiset token overlap. From the second, an inverted index
 * ({@link TokenPostings}) yields the only entries that can pass a threshold (prefix filtering); those that also
 * pass the length bound get a bit-parallel LCS, in parallel when there are many, stopping at the first hit.
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
    /** The token ids of all entries, back to back, so that scans read memory in order. */
    private final IntList tokenPool = new IntList();
    /** Entry i's tokens are tokenPool[starts[i], starts[i + 1]). */
    private final IntList starts = new IntList();
    private final TokenPostings postings = new TokenPostings();

    /** Alpaca's setting: rouge-score's tokenizer, no stemming. */
    public RougeLIndex() {
        this(RougeTokenizer.DEFAULT, false);
    }

    public RougeLIndex(RougeTokenizer tokenizer, boolean stemming) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.stemming = stemming;
        starts.add(0);
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
        return read(instructions::size);
    }

    public String instruction(int index) {
        return read(() -> instructions.get(index));
    }

    /** Whether the score of {@code candidate} against any kept instruction is strictly above {@code threshold}. */
    public boolean anyAbove(String candidate, double threshold) {
        Objects.requireNonNull(candidate, "candidate");
        return read(() -> anyAboveLocked(prepare(candidate), threshold));
    }

    /** The highest score of {@code candidate} against the kept instructions; 0 when none is kept. */
    public double maxRougeL(String candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return read(() -> maxLocked(prepare(candidate)));
    }

    /** The score of {@code candidate} against every kept instruction, in index order: a full parallel scan. */
    public double[] scores(String candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return read(() -> scoresLocked(prepare(candidate)));
    }

    /**
     * Alpaca's record for a kept instruction: max, mean and the {@code topK} most similar kept instructions
     * (highest score first, ties by lower index). The mean needs every score, so this is a full scan.
     */
    public Similarity similarity(String candidate, int topK) {
        Objects.requireNonNull(candidate, "candidate");
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        return read(() -> {
            double[] scores = scoresLocked(prepare(candidate));
            double sum = 0;
            double max = 0;
            for (double score : scores) {
                sum += score;
                max = Math.max(max, score);
            }
            List<Match> top = new ArrayList<>();
            for (int entry : topIndices(scores, topK)) {
                top.add(new Match(entry, instructions.get(entry), scores[entry]));
            }
            return new Similarity(max, scores.length == 0 ? 0 : sum / scores.length, top);
        });
    }

    private <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private int addLocked(String instruction) {
        List<String> words = tokenizer.tokenize(instruction, stemming);
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.computeIfAbsent(words.get(i), word -> vocabulary.size());
            tokenPool.add(ids[i]);
        }
        int index = instructions.size();
        Arrays.sort(ids);
        postings.add(index, ids);
        instructions.add(instruction);
        starts.add(tokenPool.size);
        return index;
    }

    /** The candidate as vocabulary ids (-1 for words no kept instruction has), sorted, plus its LCS pattern. */
    private Query prepare(String candidate) {
        List<String> words = tokenizer.tokenize(candidate, stemming);
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.getOrDefault(words.get(i), -1);
        }
        BitParallelLcs lcs = new BitParallelLcs(ids, vocabulary.size());
        Arrays.sort(ids);
        return new Query(ids, lcs);
    }

    private boolean anyAboveLocked(Query query, double threshold) {
        if (instructions.isEmpty()) {
            return false;
        }
        if (threshold < 0) {
            return true;
        }
        int n = query.sortedIds.length;
        double bound = threshold - SLACK;
        int minOverlap = minimumOverlap(n, bound);
        if (minOverlap > n) {
            return false;
        }
        int[] entries = postings.entriesSharingRarest(query.sortedIds, n - minOverlap + 1, instructions.size());
        IntStream stream = IntStream.of(entries);
        if (entries.length >= PARALLEL_MIN) {
            stream = stream.parallel();
        }
        return stream.anyMatch(entry -> lengthAllows(n, length(entry), bound) && score(query, entry) > threshold);
    }

    /** Branch and bound: the best score so far prunes every entry whose overlap bound cannot beat it. */
    private double maxLocked(Query query) {
        int n = query.sortedIds.length;
        if (instructions.isEmpty() || n == 0) {
            return 0;
        }
        int[] overlaps = postings.overlaps(query.sortedIds, instructions.size());
        double[] bounds = new double[overlaps.length];
        int seed = 0;
        for (int entry = 0; entry < overlaps.length; entry++) {
            bounds[entry] = 2.0 * overlaps[entry] / (n + length(entry));
            if (bounds[entry] > bounds[seed]) {
                seed = entry;
            }
        }
        double best = score(query, seed);
        for (int entry = 0; entry < overlaps.length; entry++) {
            if (overlaps[entry] > 0 && bounds[entry] > best - SLACK) {
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
        int n = query.sortedIds.length;
        int m = length(entry);
        if (n == 0 || m == 0) {
            return 0;
        }
        int lcs = query.lcs.lcsWith(tokenPool.values, starts.values[entry], starts.values[entry + 1]);
        return RougeScore.fmeasure((double) lcs / m, (double) lcs / n);
    }

    private int length(int entry) {
        return starts.values[entry + 1] - starts.values[entry];
    }

    /** Whether lengths n and m allow an F-measure above {@code bound}: F <= 2 min(n, m) / (n + m). */
    private static boolean lengthAllows(int n, int m, double bound) {
        return 2.0 * Math.min(n, m) / (n + m) > bound;
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

    /** The indices of the k highest scores, highest first, ties by lower index: one pass, no full sort. */
    private static int[] topIndices(double[] scores, int k) {
        int[] top = new int[Math.min(k, scores.length)];
        int count = 0;
        for (int entry = 0; entry < scores.length; entry++) {
            // entries come in index order, so an equal score never displaces an earlier one
            if (count == top.length && (count == 0 || scores[entry] <= scores[top[count - 1]])) {
                continue;
            }
            int position = count == top.length ? count - 1 : count++;
            while (position > 0 && scores[top[position - 1]] < scores[entry]) {
                top[position] = top[position - 1];
                position--;
            }
            top[position] = entry;
        }
        return top;
    }

    private record Query(int[] sortedIds, BitParallelLcs lcs) {}
}
