package org.instruct4j.serve.schedule;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A submitted job: its result to come, and a way to give it up. A cancelled job leaves the running batch before the
 * scheduler's next step (or the queue at once) and its result fails with a {@link CancellationException}.
 */
public final class Ticket {
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final Consumer<Ticket> onCancel;
    private volatile boolean cancelled;

    /** {@code onCancel} tells the queue that holds the job (it may take it out of the waiting line at once). */
    public Ticket(Consumer<Ticket> onCancel) {
        this.onCancel = onCancel;
    }

    public CompletableFuture<JobResult> result() {
        return result;
    }

    /** Gives the job up (the client went away); harmless once it has finished. */
    public void cancel() {
        if (!cancelled && !result.isDone()) {
            cancelled = true;
            onCancel.accept(this);
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    void complete(JobResult value) {
        result.complete(value);
    }

    void fail(Throwable error) {
        result.completeExceptionally(error);
    }

    void abandon() {
        result.completeExceptionally(new CancellationException("the job was cancelled"));
    }
}
