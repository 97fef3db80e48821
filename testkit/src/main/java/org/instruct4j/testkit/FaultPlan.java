package org.instruct4j.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Decides which chat requests (over HTTP and inside batches) meet a fault. Scripted rules come
 * first, in this order: {@link #failNext}, then {@link #failWhenPromptContains}; then the seeded
 * random faults of {@link #randomly}. Thread-safe; rules may be added while requests run.
 */
public final class FaultPlan {
    private final List<Scripted> next = new ArrayList<>();
    private final List<Scripted> byPrompt = new ArrayList<>();
    private final List<Weighted> weighted = new ArrayList<>();
    private Random random = new Random(0);
    private int injected;

    /** Fails the next {@code count} requests with this fault. */
    public synchronized FaultPlan failNext(int count, Fault fault) {
        next.add(new Scripted(null, count, fault));
        return this;
    }

    /** Fails the next {@code times} requests whose last user message contains {@code needle}. */
    public synchronized FaultPlan failWhenPromptContains(String needle, int times, Fault fault) {
        byPrompt.add(new Scripted(needle, times, fault));
        return this;
    }

    /**
     * Adds a random fault: each request not caught by a scripted rule meets it with this
     * probability. Probabilities of all random faults add up and must stay at most 1.
     */
    public synchronized FaultPlan randomly(double probability, Fault fault) {
        double total = probability + weighted.stream().mapToDouble(Weighted::probability).sum();
        if (probability < 0 || total > 1) {
            throw new IllegalArgumentException("fault probabilities must be >= 0 and add up to at most 1, got " + total);
        }
        weighted.add(new Weighted(probability, fault));
        return this;
    }

    /** Seeds the random faults, so a soak test replays the same sequence of draws. */
    public synchronized FaultPlan seed(long seed) {
        random = new Random(seed);
        return this;
    }

    /** Removes every rule; requests are answered normally again. */
    public synchronized FaultPlan clear() {
        next.clear();
        byPrompt.clear();
        weighted.clear();
        return this;
    }

    /** How many faults this plan has handed out. */
    public synchronized int injected() {
        return injected;
    }

    synchronized Optional<Fault> next(String prompt) {
        Optional<Fault> fault = scripted(next, prompt).or(() -> scripted(byPrompt, prompt)).or(this::randomFault);
        fault.ifPresent(f -> injected++);
        return fault;
    }

    private static Optional<Fault> scripted(List<Scripted> scripted, String prompt) {
        for (Iterator<Scripted> rules = scripted.iterator(); rules.hasNext(); ) {
            Scripted rule = rules.next();
            if (rule.needle == null || prompt.contains(rule.needle)) {
                if (--rule.remaining == 0) {
                    rules.remove();
                }
                return Optional.of(rule.fault);
            }
        }
        return Optional.empty();
    }

    private Optional<Fault> randomFault() {
        if (weighted.isEmpty()) {
            return Optional.empty();
        }
        double draw = random.nextDouble();
        for (Weighted w : weighted) {
            draw -= w.probability;
            if (draw < 0) {
                return Optional.of(w.fault);
            }
        }
        return Optional.empty();
    }

    private static final class Scripted {
        final String needle;
        final Fault fault;
        int remaining;

        Scripted(String needle, int remaining, Fault fault) {
            if (remaining < 1) {
                throw new IllegalArgumentException("a scripted fault needs a count >= 1, got " + remaining);
            }
            this.needle = needle;
            this.remaining = remaining;
            this.fault = fault;
        }
    }

    private record Weighted(double probability, Fault fault) {}
}
