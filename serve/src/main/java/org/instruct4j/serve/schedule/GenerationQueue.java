package org.instruct4j.serve.schedule;

import java.util.List;

/**
 * Where requests for a local model wait for and get their tokens; the server and the local chat client talk to it.
 * The {@link Scheduler} (continuous batching) is the one in use; benchmarks put baselines behind it too.
 */
public interface GenerationQueue extends AutoCloseable {

    /**
     * Queues the jobs together (the n choices of one request): all of them or none.
     *
     * @throws QueueFullException when the waiting line has no room for them
     * @throws IllegalArgumentException when a job is longer than the model's positions or the batch's token budget
     * @throws IllegalStateException once closed
     */
    List<Ticket> submit(List<Job> jobs);

    /** Jobs waiting for a row. */
    int waiting();

    /** Rows in the running batch. */
    int running();

    /** Prompt tokens looked up in the prefix cache and found there, since the start (none without a cache). */
    default PrefixHits prefixHits() {
        return PrefixHits.NONE;
    }

    /** Finishes the jobs already queued, then stops. */
    @Override
    void close();
}
