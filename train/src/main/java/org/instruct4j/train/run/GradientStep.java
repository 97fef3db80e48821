package org.instruct4j.train.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.arch.DropoutMasks;
import org.instruct4j.train.optim.AdamW;

/**
 * One optimizer step, the same for every recipe: forward and backward over each micro-batch (one after another, or
 * several at once, {@link #concurrentMicroBatches}; each in its own PointerScope, so native memory stays flat), the loss divided by the units of the whole step (so the split into
 * micro-batches does not change the result), gradients accumulated in fp32, then clipping and the AdamW update.
 * Dropout masks depend only on the seed, the step and the micro-batch's place in it ({@link DropoutMasks}), so a
 * resumed run draws the same ones, and so do micro-batches computed at once.
 */
public final class GradientStep {
    private final FineTunedModel model;
    private final AdamW optimizer;
    private final double maxGradNorm;
    private final long seed;
    private GradientSync sync;
    /** Null when the micro-batches of a step run one after another, on libtorch's intra-op threads. */
    private MicroBatchWorkers workers;

    /**
     * The step's sums over its micro-batches, the gradient norm before clipping, the seconds it took and the peak
     * resident memory of the process during it (-1 when unknown).
     */
    public record Outcome(Sums sums, double gradNorm, double seconds, long peakBytes) {}

    public GradientStep(FineTunedModel model, AdamW optimizer, double maxGradNorm, long seed) {
        this.model = model;
        this.optimizer = optimizer;
        this.maxGradNorm = maxGradNorm;
        this.seed = seed;
    }

    /**
     * Computes up to {@code threads} micro-batches of a step at once, each on a thread of its own that runs libtorch
     * with one intra-op thread (1 = one after another, each spread over libtorch's threads).
     */
    public GradientStep concurrentMicroBatches(int threads) {
        this.workers = threads > 1 ? new MicroBatchWorkers(threads) : null;
        return this;
    }

    /** Makes every step's gradients the same on every process of a distributed run, through {@code sync}. */
    public GradientStep synchronizedBy(GradientSync sync) {
        this.sync = sync;
        return this;
    }

    /**
     * Step {@code step} at learning rate {@code lr} over {@code microBatches}, each one's summed loss given by
     * {@code loss} (which also adds its numbers to {@code sums}) and divided by {@code units}.
     */
    public <M> Outcome run(int step, double lr, List<M> microBatches, long units, Sums sums, BiFunction<M, Sums, Tensor> loss) {
        PeakMemory.reset();
        long began = System.nanoTime();
        torch.manual_seed(seed * 1_000_003L + step);
        model.training(true);
        if (workers != null && sync != null) {
            throw new IllegalStateException("concurrent micro-batches in a distributed run: the settings refuse it");
        }
        if (workers != null && microBatches.size() > 1) {
            concurrently(step, microBatches, units, sums, loss);
        } else {
            oneAfterAnother(step, microBatches, units, sums, loss);
        }
        double norm = model.weights().update(optimizer, lr, maxGradNorm);
        return new Outcome(sums, norm, (System.nanoTime() - began) / 1e9, PeakMemory.peakBytes());
    }

    private <M> void oneAfterAnother(int step, List<M> microBatches, long units, Sums sums, BiFunction<M, Sums, Tensor> loss) {
        for (int i = 0; i < microBatches.size(); i++) {
            M micro = microBatches.get(i);
            try (PointerScope scope = new PointerScope(); DropoutMasks masks = DropoutMasks.seeded(maskSeed(step, i))) {
                Tensor sum = loss.apply(micro, sums);
                if (sync != null && i == microBatches.size() - 1) {
                    sync.arm(); // after the forward pass, which may take gradients of its own (the chunked loss)
                }
                sum.div(new Scalar((double) units)).backward();
                model.completeBackward();
                sums.add(Sums.LOSS, sum.item_double());
            }
            model.weights().accumulateGradients();
        }
        if (sync != null) {
            if (microBatches.isEmpty()) {
                sync.arm();
            }
            sync.finish();
        }
    }

    /** The seed of micro-batch {@code index}'s dropout masks in step {@code step}. */
    private long maskSeed(int step, int index) {
        return (seed * 1_000_003L + step) * 1_000_033L + index;
    }

    /**
     * {@link MicroBatchWorkers#size} micro-batches at a time, each on its own thread; their gradients and sums are
     * added in the micro-batches' order, as {@link #oneAfterAnother} adds them.
     */
    private <M> void concurrently(int step, List<M> microBatches, long units, Sums sums, BiFunction<M, Sums, Tensor> loss) {
        List<Tensor> trainable = List.copyOf(model.weights().working().values());
        workers.keepingCallerThreads(() -> concurrentRounds(step, microBatches, units, sums, loss, trainable));
    }

    private <M> void concurrentRounds(int step, List<M> microBatches, long units, Sums sums, BiFunction<M, Sums, Tensor> loss,
                                      List<Tensor> trainable) {
        for (int first = 0; first < microBatches.size(); first += workers.size()) {
            List<Future<MicroBatchWorkers.Gradients>> round = new ArrayList<>();
            for (int i = first; i < Math.min(microBatches.size(), first + workers.size()); i++) {
                M micro = microBatches.get(i);
                long maskSeed = maskSeed(step, i);
                round.add(workers.submit(() -> {
                    try (DropoutMasks masks = DropoutMasks.seeded(maskSeed)) {
                        Sums own = sums.zeros();
                        Tensor sum = loss.apply(micro, own);
                        own.add(Sums.LOSS, sum.item_double());
                        return new MicroBatchWorkers.Gradients(MicroBatchWorkers.gradients(sum.div(new Scalar((double) units)), trainable), own);
                    }
                }));
            }
            addUp(round, sums);
        }
    }

    /** Adds a round's gradients and sums in its order, once every micro-batch of it has ended; or throws the first failure. */
    private void addUp(List<Future<MicroBatchWorkers.Gradients>> round, Sums sums) {
        RuntimeException failure = null;
        for (Future<MicroBatchWorkers.Gradients> pending : round) {
            try {
                MicroBatchWorkers.Gradients computed = MicroBatchWorkers.await(pending);
                try {
                    if (failure == null) {
                        model.weights().accumulate(computed.tensors());
                        sums.addAll(computed.sums());
                    }
                } finally {
                    computed.release();
                }
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
