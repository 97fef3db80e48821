package org.instruct4j.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which examples every optimizer step trains on, fully determined by the seed: each epoch shuffles the
 * training examples with its own seed, optionally packs them greedily into sequences of at most
 * {@code maxLength} inputs, and cuts the sequences into global batches of {@code batchSize}, each split into
 * micro-batches. A resumed run recomputes exactly the same plan, so it sees the data in the same order. The
 * last batch of an epoch may be smaller, as with a data loader that does not drop it.
 */
public final class TrainingPlan {
    private final List<EncodedExample> examples;
    private final int batchSize;
    private final int microBatchSize;
    private final boolean packing;
    private final int maxLength;
    private final long seed;
    private final int totalSteps;
    private final List<Integer> stepsPerEpoch = new ArrayList<>();
    private int cachedEpoch = -1;
    private List<List<EncodedExample>> cachedSequences;

    /** {@code maxSteps} > 0 fixes the number of steps (cycling through as many epochs as needed). */
    public TrainingPlan(List<EncodedExample> examples, int epochs, int maxSteps, int batchSize, int microBatchSize,
                        boolean packing, int maxLength, long seed) {
        this.examples = examples;
        this.batchSize = batchSize;
        this.microBatchSize = microBatchSize;
        this.packing = packing;
        this.maxLength = maxLength;
        this.seed = seed;
        if (maxSteps > 0) {
            this.totalSteps = maxSteps;
        } else {
            int steps = 0;
            for (int epoch = 0; epoch < epochs; epoch++) {
                steps += stepsIn(epoch);
            }
            this.totalSteps = steps;
        }
    }

    public int totalSteps() {
        return totalSteps;
    }

    /** The micro-batches of optimizer step {@code step} (0-based); each is a list of sequences of examples. */
    public List<List<List<EncodedExample>>> step(int step) {
        int epoch = 0;
        int first = step;
        while (first >= stepsIn(epoch)) {
            first -= stepsIn(epoch);
            epoch++;
        }
        List<List<EncodedExample>> sequences = sequences(epoch);
        List<List<EncodedExample>> batch = sequences.subList(first * batchSize, Math.min(sequences.size(), (first + 1) * batchSize));
        List<List<List<EncodedExample>>> micro = new ArrayList<>();
        for (int i = 0; i < batch.size(); i += microBatchSize) {
            micro.add(batch.subList(i, Math.min(batch.size(), i + microBatchSize)));
        }
        return micro;
    }

    /** The epoch (fractional) reached after {@code steps} steps. */
    public double epochAfter(int steps) {
        int epoch = 0;
        int left = steps;
        while (left >= stepsIn(epoch)) {
            left -= stepsIn(epoch);
            epoch++;
        }
        return epoch + (double) left / stepsIn(epoch);
    }

    private int stepsIn(int epoch) {
        while (stepsPerEpoch.size() <= epoch) {
            stepsPerEpoch.add((sequences(stepsPerEpoch.size()).size() + batchSize - 1) / batchSize);
        }
        return stepsPerEpoch.get(epoch);
    }

    private List<List<EncodedExample>> sequences(int epoch) {
        if (epoch != cachedEpoch) {
            List<EncodedExample> order = new ArrayList<>(examples);
            Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
            cachedSequences = packing ? pack(order, maxLength) : order.stream().map(List::of).toList();
            cachedEpoch = epoch;
        }
        return cachedSequences;
    }

    /** Greedy packing in order: an example joins the current sequence while the inputs fit in {@code maxLength}. */
    static List<List<EncodedExample>> pack(List<EncodedExample> order, int maxLength) {
        List<List<EncodedExample>> sequences = new ArrayList<>();
        List<EncodedExample> current = new ArrayList<>();
        int length = 0;
        for (EncodedExample example : order) {
            if (!current.isEmpty() && length + example.inputLength() > maxLength) {
                sequences.add(List.copyOf(current));
                current.clear();
                length = 0;
            }
            current.add(example);
            length += example.inputLength();
        }
        if (!current.isEmpty()) {
            sequences.add(List.copyOf(current));
        }
        return sequences;
    }
}
