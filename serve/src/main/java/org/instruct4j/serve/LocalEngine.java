package org.instruct4j.serve;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;

/**
 * Runs a local model for many callers at once with dynamic batching: one worker thread takes the oldest waiting
 * requests, up to {@code maxBatch}, and generates them as one batch, each row with its own settings (the
 * {@link Generator} keeps every row exactly as it would be alone). Requests that arrive while a batch runs form the
 * next one. Engine calls stay on the one worker thread. Closing the engine closes the model.
 */
public final class LocalEngine implements AutoCloseable {
    /** Receives a request's text as it grows. */
    @FunctionalInterface
    public interface Stream {
        void onText(String piece);
    }

    private record Request(int[] promptIds, GenerationConfig config, Stream stream, CompletableFuture<Generation> result) {}

    private final InferenceModel model;
    private final int maxBatch;
    private final LinkedList<Request> waiting = new LinkedList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Thread worker;
    private volatile boolean closed;
    private long batches;
    private long requests;

    public LocalEngine(InferenceModel model, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + maxBatch);
        }
        this.model = model;
        this.maxBatch = maxBatch;
        this.worker = Thread.ofPlatform().name("instruct4j-local-model").daemon().start(this::work);
    }

    public InferenceModel model() {
        return model;
    }

    /** Queues a generation; {@code stream} (may be null) gets the text as it is produced. */
    public CompletableFuture<Generation> submit(int[] promptIds, GenerationConfig config, Stream stream) {
        int limit = model.engine().maxPositions();
        if (promptIds.length + config.maxNewTokens() > limit) {
            throw new IllegalArgumentException("the prompt has " + promptIds.length + " tokens and asks for "
                    + config.maxNewTokens() + " more, beyond the model's " + limit + " positions");
        }
        Request request = new Request(promptIds, config, stream, new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the local model engine is closed");
            }
            waiting.add(request);
            arrived.signal();
        } finally {
            lock.unlock();
        }
        return request.result();
    }

    private void work() {
        while (true) {
            List<Request> batch = nextBatch();
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    /** The oldest requests, up to maxBatch; null once closed and drained. */
    private List<Request> nextBatch() {
        lock.lock();
        try {
            while (waiting.isEmpty()) {
                if (closed) {
                    return null;
                }
                arrived.awaitUninterruptibly();
            }
            List<Request> batch = new ArrayList<>();
            while (!waiting.isEmpty() && batch.size() < maxBatch) {
                batch.add(waiting.removeFirst());
            }
            batches++;
            requests += batch.size();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Request> batch) {
        int[][] prompts = batch.stream().map(Request::promptIds).toArray(int[][]::new);
        List<GenerationConfig> configs = batch.stream().map(Request::config).toList();
        try {
            List<Generation> results = model.generator().generateFromIds(prompts, configs, (row, piece) -> {
                Stream stream = batch.get(row).stream();
                if (stream != null) {
                    stream.onText(piece);
                }
            });
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            batch.forEach(r -> r.result().completeExceptionally(e));
        }
    }

    /** Batches run so far and the requests they held: requests / batches is the mean batch size. */
    public long[] batchStatistics() {
        lock.lock();
        try {
            return new long[] {batches, requests};
        } finally {
            lock.unlock();
        }
    }

    /** Finishes the requests already queued, then stops the worker. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
    }
}
