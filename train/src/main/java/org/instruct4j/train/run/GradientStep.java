package org.instruct4j.train.run;

import java.util.List;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.train.optim.AdamW;

/**
 * One optimizer step, the same for every recipe: forward and backward over each micro-batch (each in its own
 * PointerScope, so native memory stays flat), the loss divided by the units of the whole step (so the split into
 * micro-batches does not change the result), gradients accumulated in fp32, then clipping and the AdamW update.
 * Dropout masks depend only on the seed and the step, so a resumed run draws the same ones.
 */
public final class GradientStep {
    private final FineTunedModel model;
    private final AdamW optimizer;
    private final double maxGradNorm;
    private final long seed;
    private GradientSync sync;

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
        for (int i = 0; i < microBatches.size(); i++) {
            M micro = microBatches.get(i);
            try (PointerScope scope = new PointerScope()) {
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
        double norm = model.weights().update(optimizer, lr, maxGradNorm);
        return new Outcome(sums, norm, (System.nanoTime() - began) / 1e9, PeakMemory.peakBytes());
    }
}
