package org.instruct4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
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
