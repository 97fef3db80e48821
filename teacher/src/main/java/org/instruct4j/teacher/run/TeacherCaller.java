package org.instruct4j.teacher.run;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatClient;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.limits.RateLimiter;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.usage.CostGuard;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * One call to the teacher done right: within the rpm/tpm limits, at most {@code concurrency} requests
 * in flight, retried with backoff on transient errors and on replies the caller cannot use, usage
 * recorded, and within the {@link CostGuard}'s limits (a prompt larger than the model's context is never sent; the
 * budget is never passed). The one retry policy of instruct4j. Thread-safe; a fatal error (bad key, unknown model)
 * or the budget stops every later call.
 *
 * <p>A concurrency slot is held only while a request is on the wire, not while waiting for the rate
 * limiter or sleeping before a retry, so waiting never eats into the requests in flight.
 */
public final class TeacherCaller {
    /** Turns a reply into a result, or throws a retryable {@link TeacherException} if it is unusable. */
    @FunctionalInterface
    public interface ReplyReader<T> {
        T read(ChatReply reply) throws TeacherException;
    }

    /** The result of a call: a value, a failure after all attempts, or aborted (fatal error or interrupt). */
    public sealed interface Outcome<T> {
        record Success<T>(T value, ChatReply reply) implements Outcome<T> {}

        record Failure<T>(String reason, int attempts) implements Outcome<T> {}

        record Aborted<T>() implements Outcome<T> {}
    }

    private final ChatClient client;
    private final RetryPolicy retry;
    private final UsageMeter usage;
    private final CostGuard guard;
    private final RateLimiter requestLimit;
    private final RateLimiter tokenLimit;
    private final Semaphore inFlight;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicReference<String> fatalError = new AtomicReference<>();

    /** A caller without a budget. */
    public TeacherCaller(ChatClient client, JobOptions options, UsageMeter usage) {
        this(client, options, usage, CostGuard.unlimited(usage));
    }

    /** {@code guard} measures with {@code usage}. */
    public TeacherCaller(ChatClient client, JobOptions options, UsageMeter usage, CostGuard guard) {
        this.client = client;
        this.retry = options.retry();
        this.usage = usage;
        this.guard = guard;
        this.requestLimit = options.requestsPerMinute() > 0 ? new RateLimiter(options.requestsPerMinute()) : null;
        this.tokenLimit = options.tokensPerMinute() > 0 ? new RateLimiter(options.tokensPerMinute()) : null;
        this.inFlight = new Semaphore(options.concurrency());
    }

    public <T> Outcome<T> call(ChatCall call, ReplyReader<T> reader) {
        Optional<String> oversized = guard.oversized(call);
        if (oversized.isPresent()) {
            return new Outcome.Failure<>(oversized.get(), 0);
        }
        int attempts = 0;
        while (!stopped()) {
            OptionalDouble reservation = guard.reserve(call);
            if (reservation.isEmpty()) {
                return new Outcome.Aborted<>();
            }
            attempts++;
            Duration wait;
            try {
                Optional<ChatReply> answered = callWithinLimits(call);
                if (answered.isEmpty()) {
                    return new Outcome.Aborted<>();
                }
                ChatReply reply = answered.get();
                usage.record(reply.model(), reply.promptTokens(), reply.completionTokens());
                return new Outcome.Success<>(reader.read(reply), reply);
            } catch (TeacherException e) {
                if (e.kind() == TeacherException.Kind.FATAL) {
                    fatalError.compareAndSet(null, e.getMessage());
                    return new Outcome.Aborted<>();
                }
                if (e.kind() == TeacherException.Kind.REJECTED || !retry.canRetry(attempts)) {
                    return new Outcome.Failure<>(e.getMessage(), attempts);
                }
                retries.incrementAndGet();
                wait = retry.delay(attempts, e.retryAfter(), ThreadLocalRandom.current());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Aborted<>();
            } finally {
                guard.release(reservation.getAsDouble());
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Aborted<>();
            }
        }
        return new Outcome.Aborted<>();
    }

    /** The reply, or nothing when the run stopped while this call waited for its turn: nothing more may be paid for. */
    private Optional<ChatReply> callWithinLimits(ChatCall call) throws TeacherException, InterruptedException {
        long budget = call.tokenBudget();
        if (requestLimit != null) {
            requestLimit.acquire(1);
        }
        if (tokenLimit != null) {
            tokenLimit.acquire(budget);
        }
        ChatReply reply;
        inFlight.acquire();
        try {
            if (stopped()) {
                return Optional.empty();
            }
            reply = client.complete(call);
        } finally {
            inFlight.release();
        }
        if (tokenLimit != null) {
            long used = reply.promptTokens() + reply.completionTokens();
            if (used > 0 && used < budget) {
                tokenLimit.refund(budget - used);
            } else if (used > budget) {
                tokenLimit.charge(used - budget);
            }
        }
        return Optional.of(reply);
    }

    public long retries() {
        return retries.get();
    }

    /** Why the run stopped early for good (bad key, unknown model), or null. */
    public String fatalError() {
        return fatalError.get();
    }

    /** Why the run stopped sending before its end although it can go on later (the budget), or null. */
    public String pausedBy() {
        return guard.stoppedBy();
    }

    /** Stops every later call, for a reason outside the teacher (the output cannot be written). */
    public void stop(String reason) {
        fatalError.compareAndSet(null, reason);
    }

    /** Whether no further call will be made: a fatal error, or the budget. */
    public boolean stopped() {
        return fatalError() != null || pausedBy() != null;
    }

    public String endpointDescription() {
        return client.endpointDescription();
    }

    public UsageMeter usage() {
        return usage;
    }

    public CostGuard guard() {
        return guard;
    }
}
