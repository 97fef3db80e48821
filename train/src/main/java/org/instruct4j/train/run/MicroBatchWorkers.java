package org.instruct4j.train.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Threads that each compute one micro-batch's forward and backward pass with libtorch on a single intra-op thread, so
 * that several micro-batches of a step run at once: data parallelism inside one process, over one copy of the model.
 * For a small model this uses the cores better than spreading every operation over them (a product of 256-wide
 * matrices, a norm or a softmax over a few MB ends in a barrier of the intra-op pool before the next one starts;
 * BENCHMARKS.md, train). The gradients come from {@code torch::autograd::grad}, apart from the weights' own
 * {@code grad}, so the threads share nothing they write; the step adds them up in the micro-batches' order.
 * Idle threads end after a while.
 */
final class MicroBatchWorkers {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ThreadPoolExecutor pool;

    /** One micro-batch's gradients (retained past its scope: {@link #release} them) and sums. */
    record Gradients(List<Tensor> tensors, Sums sums) {
        void release() {
            tensors.forEach(Tensor::releaseReference);
        }
    }

    MicroBatchWorkers(int threads) {
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(() -> {
                // libtorch gives a thread its count from a process-wide one at its first parallel work, which
                // get_num_threads() does now; then this thread's own count (OpenMP's setting is per thread), which also
                // sets the process-wide one (keepingCallerThreads puts that back)
                torch.get_num_threads();
                torch.set_num_threads(1);
                task.run();
            }, "micro-batch-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    int size() {
        return pool.getCorePoolSize();
    }

    /**
     * Runs {@code rounds} (which submit work here) and then puts back libtorch's process-wide thread count, which a new
     * worker thread sets to 1 and threads started later would otherwise take.
     */
    void keepingCallerThreads(Runnable rounds) {
        int threads = torch.get_num_threads();
        try {
            rounds.run();
        } finally {
            torch.set_num_threads(threads);
        }
    }

    /** Runs {@code work} on a worker, in a PointerScope of its own. */
    Future<Gradients> submit(Callable<Gradients> work) {
        return pool.submit(() -> {
            try (PointerScope scope = new PointerScope()) {
                return work.call();
            }
        });
    }

    /** The gradients of {@code loss} (a scalar) with respect to {@code weights}, undefined for a weight it does not use. */
    static List<Tensor> gradients(Tensor loss, List<Tensor> weights) {
        TensorVector grads = torch.grad(new TensorVector(loss), new TensorVector(weights.toArray(Tensor[]::new)),
                new TensorVector(torch.ones_like(loss)), new BoolOptional(false), false, true);
        List<Tensor> kept = new ArrayList<>(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            Tensor grad = new Tensor(grads.get(i)); // its own handle: get() refers into the vector
            grad.retainReference();
            kept.add(grad);
        }
        return kept;
    }

    /** The result of {@code pending}, or what its micro-batch threw. */
    static Gradients await(Future<Gradients> pending) {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a micro-batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a micro-batch failed", e.getCause());
        }
    }
}
