package org.instruct4j.serve.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.serve.schedule.GenerationQueue;
import org.instruct4j.serve.schedule.Job;
import org.instruct4j.serve.schedule.JobResult;
import org.instruct4j.serve.schedule.QueueFullException;
import org.instruct4j.serve.schedule.Ticket;
import org.instruct4j.serve.schedule.TokenLogprobs;

/**
 * The n choices of one request in the generation queue: submitted together, their progress as events for the
 * request's own thread (the scheduler only queues them), and given up together when the client goes away.
 */
final class Choices {
    /** How often a request that hears nothing from the scheduler checks that its client is still there. */
    private static final long PROBE_MILLIS = 20;

    sealed interface Event permits Piece, Done {
        int choice();
    }

    /** Choice {@code choice} sampled a token: the text that became certain, and the token's log-probabilities if asked. */
    record Piece(int choice, String text, TokenLogprobs logprobs) implements Event {}

    /** Choice {@code choice} has finished (or failed): its result is ready. */
    record Done(int choice) implements Event {}

    private final List<Ticket> tickets;
    private final LinkedBlockingQueue<Event> events;
    private final ServeMetrics.Tracker tracker;
    private int done;
    private int resultsRead;

    private Choices(List<Ticket> tickets, LinkedBlockingQueue<Event> events, ServeMetrics.Tracker tracker) {
        this.tickets = tickets;
        this.events = events;
        this.tracker = tracker;
    }

    /** Queues the request's choices; a full queue is a 429, a request too long a 400, a closing server a 503. */
    static Choices submit(GenerationQueue queue, int[] prompt, GenerationRequest request, ServeMetrics metrics) {
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        ServeMetrics.Tracker tracker = metrics.track(request.n(), prompt.length);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < request.n(); i++) {
            int choice = i;
            jobs.add(new Job(prompt, request.choice(i), request.topLogprobs(),
                    request.grammar() == null ? null : request.grammar()::newConstraint, (piece, logprobs) -> {
                        tracker.token(choice);
                        events.add(new Piece(choice, piece, logprobs));
                    }));
        }
        List<Ticket> tickets;
        try {
            tickets = queue.submit(jobs);
        } catch (QueueFullException full) {
            metrics.rejected();
            throw ApiException.overloaded("The server is busy: " + full.getMessage() + ". Retry later.", full.retryAfter());
        } catch (BadInputException tooLong) {
            throw new ApiException(400, "invalid_request_error", "messages", "context_length_exceeded", tooLong.getMessage());
        } catch (IllegalStateException closed) {
            throw new ApiException(503, "server_error", null, null, "the server is shutting down");
        }
        for (int i = 0; i < tickets.size(); i++) {
            int choice = i;
            tickets.get(i).result().whenComplete((result, error) -> events.add(new Done(choice)));
        }
        return new Choices(tickets, events, tracker);
    }

    int count() {
        return tickets.size();
    }

    boolean allDone() {
        return done == tickets.size();
    }

    /**
     * The events that came since the last call (waiting for at least one), or null once the client has gone: then
     * every choice is cancelled, and leaves the running batch before the scheduler's next step.
     */
    List<Event> next(ClientLink client) throws InterruptedException {
        List<Event> batch = new ArrayList<>();
        while (batch.isEmpty()) {
            Event first = events.poll(PROBE_MILLIS, TimeUnit.MILLISECONDS);
            if (client.gone()) {
                cancel();
                return null;
            }
            if (first != null) {
                batch.add(first);
                events.drainTo(batch);
            }
        }
        for (Event event : batch) {
            if (event instanceof Done) {
                done++;
            }
        }
        return batch;
    }

    /** Gives every choice up (the client went away). */
    void cancel() {
        if (!allDone()) {
            tracker.cancelled();
        }
        tickets.forEach(Ticket::cancel);
    }

    /** The result of a finished choice (read once, after its {@link Done}); a failed one is a 500. */
    JobResult result(int choice) {
        try {
            JobResult result = tickets.get(choice).result().get();
            tracker.finished(choice, result);
            if (++resultsRead == tickets.size()) {
                tracker.completed();
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "server_error", null, null, "interrupted");
        } catch (ExecutionException e) {
            throw new ApiException(500, "server_error", null, null, "generation failed: " + e.getCause().getMessage());
        }
    }
}
