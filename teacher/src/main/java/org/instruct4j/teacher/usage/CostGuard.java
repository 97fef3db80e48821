package org.instruct4j.teacher.usage;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.instruct4j.teacher.client.ChatCall;

/**
 * What a paying user expects before each request: a prompt larger than the model's context is never sent (it is
 * recorded as a failure with that reason), and with a budget ({@code --max-cost}) no request is sent that could take
 * the job's spend past it. Each request reserves the most it can cost (its prompt, and a reply of max_tokens) while
 * it is in flight; the reservation gives way to the measured cost when the reply arrives. A request that does not fit
 * beside those in flight waits for them; one that does not fit on its own stops the run, and the rows left stay
 * pending for a later run. Thread-safe.
 */
public final class CostGuard {
    private static final TokenCounter TOKENS = new TokenCounter();

    private final UsageMeter usage;
    private final double maxCost;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private double spentBefore;
    private double reserved;
    private int inFlight;
    private volatile String stoppedBy;

    /** {@code maxCost}: US dollars the job may spend in all, or infinity; {@code usage} measures this run. */
    public CostGuard(UsageMeter usage, double maxCost) {
        this.usage = usage;
        this.maxCost = maxCost;
    }

    /** No budget; prompts larger than the model's context are still never sent. */
    public static CostGuard unlimited(UsageMeter usage) {
        return new CostGuard(usage, Double.POSITIVE_INFINITY);
    }

    /** Sets what earlier runs of the job already spent, as their metadata records it. */
    public void spentBefore(double dollars) {
        lock.lock();
        try {
            this.spentBefore = dollars;
        } finally {
            lock.unlock();
        }
    }

    public boolean hasBudget() {
        return Double.isFinite(maxCost);
    }

    /** Why {@code call} must not be sent at all, if it must not: its prompt alone is larger than the model's context. */
    public Optional<String> oversized(ChatCall call) {
        OptionalLong context = usage.prices().contextOf(call.model());
        if (context.isEmpty()) {
            return Optional.empty();
        }
        long prompt = TOKENS.promptTokens(call);
        if (prompt <= context.getAsLong()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "not sent: the prompt is %s%,d tokens, more than %s's context of %,d tokens",
                TOKENS.exact(call.model()) ? "" : "about ", prompt, call.model(), context.getAsLong()));
    }

    /**
     * Reserves the most {@code call} can cost until {@link #release}, waiting while the requests in flight leave no
     * room; returns nothing when it could pass the budget on its own: the run then stops ({@link #stoppedBy()}).
     */
    public OptionalDouble reserve(ChatCall call) {
        return take(call, true);
    }

    /**
     * Reserves the most a request submitted now can cost for the rest of the run (a Batch API request is paid when its
     * batch runs, after the run has submitted everything); false when it could pass the budget: the run stops
     * submitting.
     */
    public boolean commit(ChatCall call) {
        return take(call, false).isPresent();
    }

    /**
     * Counts what a request submitted by an earlier run (its batch still open) can cost against the budget, whatever
     * the budget: it will be paid for, so new requests must leave room for it.
     */
    public void commitSubmitted(ChatCall call) {
        double most = mostCost(call);
        lock.lock();
        try {
            if (hasBudget() && !Double.isNaN(most)) {
                reserved += most;
            }
        } finally {
            lock.unlock();
        }
    }

    private OptionalDouble take(ChatCall call, boolean untilReleased) {
        if (!hasBudget()) {
            return OptionalDouble.of(0);
        }
        double most = mostCost(call);
        lock.lock();
        try {
            while (stoppedBy == null) {
                double spent = spentBefore + usage.estimatedCost();
                if (Double.isNaN(most) || Double.isNaN(spent)) {
                    return stop("--max-cost needs the price of every model answering (" + call.model()
                            + " has none here); pass --prices FILE");
                }
                if (spent + reserved + most <= maxCost) {
                    reserved += most;
                    inFlight += untilReleased ? 1 : 0;
                    return OptionalDouble.of(most);
                }
                if (inFlight == 0) {
                    return stop(String.format(Locale.ROOT, "--max-cost $%s reached: $%.4f spent on this output so far, and"
                            + " the next request could cost up to $%.4f", budget(), spent, most));
                }
                released.awaitUninterruptibly();
            }
            return OptionalDouble.empty();
        } finally {
            lock.unlock();
        }
    }

    private OptionalDouble stop(String reason) {
        stoppedBy = reason;
        released.signalAll();
        return OptionalDouble.empty();
    }

    /** Gives back a reservation of {@link #reserve} once its reply is measured (or its attempt failed). */
    public void release(double reservation) {
        if (!hasBudget()) {
            return;
        }
        lock.lock();
        try {
            reserved -= reservation;
            inFlight--;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Why the run stopped sending requests before its end, or null. */
    public String stoppedBy() {
        return stoppedBy;
    }

    /** The budget as the user wrote it: $5, $0.25. */
    private String budget() {
        return java.math.BigDecimal.valueOf(maxCost).stripTrailingZeros().toPlainString();
    }

    /** The most {@code call} can cost: its prompt and a reply of max_tokens, or NaN without a price. */
    private double mostCost(ChatCall call) {
        return usage.cost(call.model(), TOKENS.promptTokens(call), call.sampling().maxTokens());
    }

    /** An estimate of what the requests added to it will cost, to show before the run pays for any of them. */
    public Estimate estimate() {
        return new Estimate();
    }

    /** Requests, tokens and dollars of the requests of a run, before it starts. Not thread-safe. */
    public final class Estimate {
        private long requests;
        private long promptTokens;
        private long replyTokens;
        private long oversized;
        private double promptCost;
        private double mostCost;
        private boolean exact = true;
        private String model;

        public void add(ChatCall call) {
            if (oversized(call).isPresent()) {
                oversized++;
                return;
            }
            long prompt = TOKENS.promptTokens(call);
            requests++;
            promptTokens += prompt;
            replyTokens += call.sampling().maxTokens();
            promptCost += usage.cost(call.model(), prompt, 0);
            mostCost += usage.cost(call.model(), prompt, call.sampling().maxTokens());
            exact &= TOKENS.exact(call.model());
            model = model == null ? call.model() : model;
        }

        /**
         * One paragraph for the user, e.g. {@code 40 requests to gpt-4: prompts 2,345 tokens ($0.0704), replies at most
         * 40,960 tokens; estimated cost $0.07 to $2.53}; null for a free (local) teacher or nothing to do.
         */
        public String describe() {
            if (usage.prices().isFree() || requests + oversized == 0) {
                return null;
            }
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,d requests", requests));
            if (requests > 0) {
                text.append(String.format(Locale.ROOT, " to %s: prompts %s%,d tokens, replies at most %,d tokens (max_tokens); ",
                        model, exact ? "" : "about ", promptTokens, replyTokens));
                text.append(Double.isNaN(mostCost) ? "estimated cost unknown (no price for " + model + "; pass --prices FILE)"
                        : String.format(Locale.ROOT, "estimated cost $%.2f for the prompts, at most $%.2f with every reply at"
                                + " max_tokens%s", promptCost, mostCost, usage.priceFactor() < 1 ? " (Batch API price)" : ""));
            }
            if (oversized > 0) {
                text.append(String.format(Locale.ROOT, "; larger than the model's context, so recorded as failures and not sent:"
                        + " %,d prompt(s)", oversized));
            }
            if (hasBudget()) {
                text.append(String.format(Locale.ROOT, "; --max-cost $%s (spent on this output before: %s)", budget(),
                        Double.isNaN(spentBefore) ? "unknown, a model has no price" : String.format(Locale.ROOT, "$%.4f", spentBefore)));
            }
            return text.toString();
        }
    }
}
