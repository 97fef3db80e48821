package org.instruct4j.train.sft;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.optim.AdamW;

/**
 * One optimizer step and the held-out loss, over a model being fine-tuned: forward and backward over each
 * micro-batch (each in its own PointerScope, so native memory stays flat), gradients accumulated in fp32, the
 * loss normalised by the target tokens of the whole step, then clipping and the AdamW update.
 */
public final class StepRunner {
    private final FineTunedModel model;
    private final AdamW optimizer;
    private final int padId;
    private final boolean packing;
    private final long seed;
    private final double maxGradNorm;
    private final Device device;

    /** What a step did: mean token loss, gradient norm before clipping, target and input token counts. */
    public record StepResult(double loss, double gradNorm, long targetTokens, long inputTokens) {}

    StepRunner(FineTunedModel model, AdamW optimizer, int padId, boolean packing, long seed, double maxGradNorm) {
        // libtorch already parallelises around the matrix products; OpenBLAS's own threads on top of its OpenMP
        // threads oversubscribe the cores: a training step of the 10M Llama ran 3.5-5x faster with one BLAS thread
        // on this 2-core machine (46-70 vs 249-255 tokens/s, shared and loaded).
        openblas.blas_set_num_threads(1);
        this.model = model;
        this.optimizer = optimizer;
        this.padId = padId;
        this.packing = packing;
        this.seed = seed;
        this.maxGradNorm = maxGradNorm;
        this.device = model.model().device();
    }

    /** Full fine-tuning of {@code base} (fp32 weights) computing in {@code precision}, AdamW with the paper's settings. */
    public static StepRunner fullFineTuning(CausalLm base, Precision precision, int padId) {
        FineTunedModel model = FineTunedModel.full(base, precision, null);
        return new StepRunner(model, new AdamW(model.weights().master().values(), 0.9, 0.999, 1e-8, 0.0), padId, false, 0, 1.0);
    }

    FineTunedModel model() {
        return model;
    }

    public StepResult step(int step, double lr, List<List<List<EncodedExample>>> microBatches) {
        torch.manual_seed(seed * 1_000_003L + step); // dropout masks depend only on the step
        long targets = 0;
        for (List<List<EncodedExample>> micro : microBatches) {
            for (List<EncodedExample> row : micro) {
                for (EncodedExample example : row) {
                    targets += example.targetCount();
                }
            }
        }
        double lossSum = 0;
        long inputs = 0;
        model.training(true);
        for (List<List<EncodedExample>> micro : microBatches) {
            try (PointerScope scope = new PointerScope()) {
                SequenceBatch batch = SequenceBatch.of(micro, padId, packing, device);
                Tensor loss = TokenLoss.sum(model.model(), batch);
                loss.div(new Scalar((double) targets)).backward();
                lossSum += loss.item_double();
                inputs += batch.inputTokens();
            }
            model.weights().accumulateGradients();
        }
        double norm;
        try (PointerScope scope = new PointerScope()) {
            norm = optimizer.step(lr, maxGradNorm);
            optimizer.zeroGradients();
        }
        model.weights().publish();
        return new StepResult(lossSum / targets, norm, targets, inputs);
    }

    /** The mean token loss over {@code examples}, in their order, without dropout or gradients. */
    public double evaluate(List<EncodedExample> examples, int microBatchSize) {
        model.training(false);
        double sum = 0;
        long targets = 0;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int i = 0; i < examples.size(); i += microBatchSize) {
                List<List<EncodedExample>> rows = new ArrayList<>();
                for (EncodedExample example : examples.subList(i, Math.min(examples.size(), i + microBatchSize))) {
                    rows.add(List.of(example));
                }
                try (PointerScope scope = new PointerScope()) {
                    SequenceBatch batch = SequenceBatch.of(rows, padId, false, device);
                    sum += TokenLoss.sum(model.model(), batch).item_double();
                    targets += batch.targetTokens();
                }
            }
        }
        return sum / targets;
    }
}
