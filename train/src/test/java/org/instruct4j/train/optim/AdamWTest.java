package org.instruct4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {
    @TempDir
    Path dir;

    /** Two steps with gradients 1 then 0 tell beta1 from beta2; the second update is also checked after a save/load. */
    @Test
    void updatesAsTorchsAdamWAndItsStateSurvivesSaveAndLoad() {
        Tensor p = Tensors.keep(Tensors.floats(new float[] {0f}, 1)).requires_grad_(true);
        AdamW adam = new AdamW(List.of(p), 0.5, 0.9, 1e-8, 0.0);
        p.mutable_grad().put(Tensors.keep(Tensors.floats(new float[] {1f}, 1)));
        adam.step(1.0, 0);
        assertThat(Tensors.toFloats(p)[0]).isCloseTo(-1f, within(1e-5f));
        adam.save(dir.resolve("adam.pt"));

        Tensor q = Tensors.keep(Tensors.floats(new float[] {-1f}, 1)).requires_grad_(true);
        AdamW restored = new AdamW(List.of(q), 0.5, 0.9, 1e-8, 0.0);
        restored.load(dir.resolve("adam.pt"));
        q.mutable_grad().put(Tensors.keep(Tensors.floats(new float[] {0f}, 1)));
        restored.step(1.0, 0);
        // m = 0.25, m^ = 1/3; v = 0.09, v^ = 0.09/0.19: update = (1/3) / sqrt(0.4737) = 0.4843
        assertThat(Tensors.toFloats(q)[0]).isCloseTo(-1.4843f, within(1e-3f));
    }

    /**
     * The fused update against libtorch's own C++ {@code torch::optim::AdamW} (the for-loop form), from the same
     * weights and gradients: weight decay, clipping that bites, a parameter without a gradient in some steps.
     */
    @Test
    void matchesLibtorchsAdamWStepForStep() {
        torch.manual_seed(3);
        List<Tensor> ours = parameters(), theirs = copies(ours);
        AdamW adam = new AdamW(ours, 0.9, 0.95, 1e-8, 0.1);
        org.bytedeco.pytorch.AdamW reference = reference(theirs);
        for (int step = 1; step <= 5; step++) {
            for (int i = 0; i < ours.size(); i++) {
                if (i == 2 && step % 2 == 0) { // no gradient this step: neither optimizer touches it or counts the step
                    ours.get(i).mutable_grad().reset();
                    theirs.get(i).mutable_grad().reset();
                    continue;
                }
                Tensor grad = torch.randn(ours.get(i).size(0));
                ours.get(i).mutable_grad().put(grad.clone());
                theirs.get(i).mutable_grad().put(grad.clone());
            }
            double lr = 1e-2 * step;
            double norm = adam.step(lr, 1.0);
            double theirNorm = torch.clip_grad_norm_(new TensorVector(theirs.toArray(Tensor[]::new)), 1.0);
            reference.param_groups().get(0).options().set_lr(lr);
            reference.step();
            assertThat(norm).isCloseTo(theirNorm, within(1e-9));
            assertThat(norm).isGreaterThan(1.0); // the clipping scaled the gradients
            assertSame(ours, theirs);
        }
    }

    /** A run whose optimizer file was written by libtorch's C++ AdamW (instruct4j before the fused update) resumes. */
    @Test
    void resumesFromTheStateLibtorchsAdamWSaved() {
        torch.manual_seed(5);
        List<Tensor> theirs = parameters();
        org.bytedeco.pytorch.AdamW reference = reference(theirs);
        List<Tensor> grads = new ArrayList<>();
        for (int step = 1; step <= 3; step++) {
            for (Tensor p : theirs) {
                Tensor grad = torch.randn(p.size(0));
                p.mutable_grad().put(grad);
            }
            grads = theirs.stream().map(p -> p.grad().clone()).toList();
            if (step == 3) {
                break;
            }
            reference.param_groups().get(0).options().set_lr(1e-2);
            reference.step();
        }
        Path file = dir.resolve("legacy.pt");
        OutputArchive archive = new OutputArchive();
        reference.save(archive);
        archive.save_to(file.toString());

        List<Tensor> ours = copies(theirs);
        AdamW adam = new AdamW(ours, 0.9, 0.95, 1e-8, 0.1);
        adam.load(file);
        for (int i = 0; i < ours.size(); i++) {
            ours.get(i).mutable_grad().put(grads.get(i).clone());
        }
        adam.step(1e-2, 0);
        reference.step();
        assertSame(ours, theirs);
    }

    @Test
    void stateOfAnotherModelIsRefusedNamingTheFile() {
        Path file = dir.resolve("two.pt");
        List<Tensor> two = parameters().subList(0, 2);
        AdamW adam = new AdamW(two, 0.9, 0.95, 1e-8, 0.0);
        two.forEach(p -> p.mutable_grad().put(torch.ones(p.size(0))));
        adam.step(1e-3, 0);
        adam.save(file);
        assertThatThrownBy(() -> new AdamW(parameters(), 0.9, 0.95, 1e-8, 0.0).load(file))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("2 parameters").hasMessageContaining("trains 3");
    }

    private static List<Tensor> parameters() {
        List<Tensor> parameters = new ArrayList<>();
        for (long size : new long[] {7, 33, 5}) {
            parameters.add(Tensors.keep(torch.randn(size).requires_grad_(true)));
        }
        return parameters;
    }

    private static List<Tensor> copies(List<Tensor> parameters) {
        return parameters.stream().map(p -> Tensors.keep(p.detach().clone().requires_grad_(true))).toList();
    }

    /** libtorch's C++ AdamW with the settings the tests give ours (its binding lists the betas in reverse). */
    private static org.bytedeco.pytorch.AdamW reference(List<Tensor> parameters) {
        AdamWOptions options = new AdamWOptions(0.0);
        options.betas().put(0, 0.95).put(1, 0.9);
        options.eps().put(1e-8);
        options.weight_decay().put(0.1);
        return new org.bytedeco.pytorch.AdamW(new TensorVector(parameters.toArray(Tensor[]::new)), options);
    }

    private static void assertSame(List<Tensor> ours, List<Tensor> theirs) {
        for (int i = 0; i < ours.size(); i++) {
            double gap = ours.get(i).detach().sub(theirs.get(i).detach()).abs().max().item_double();
            assertThat(gap).as("parameter %d", i).isLessThan(1e-6);
        }
    }

    @Test
    void cosineScheduleWarmsUpThenDecaysToZero() {
        LearningRateSchedule schedule = LearningRateSchedule.of("cosine", 2e-5, 100, 0.03);
        assertThat(schedule.warmupSteps()).isEqualTo(3);
        assertThat(schedule.at(0)).isZero();
        assertThat(schedule.at(3)).isEqualTo(2e-5);
        assertThat(schedule.at(3 + 97 / 2)).isCloseTo(1e-5, within(3e-7));
        assertThat(schedule.at(99)).isLessThan(1e-8);
    }
}
