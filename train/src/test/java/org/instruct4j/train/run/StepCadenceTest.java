package org.instruct4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.instruct4j.train.config.Settings;
import org.instruct4j.train.sft.SftRecipe;
import org.junit.jupiter.api.Test;

class StepCadenceTest {
    private static Settings options(String... overrides) {
        return SftRecipe.SETTINGS.defaults().with(overrides);
    }

    @Test
    void evaluatesEveryEvalStepsAndAfterTheLastStep() {
        StepCadence cadence = new StepCadence(options("--eval-steps=5"), 12, true);
        assertThat(cadence.evaluates(5)).isTrue();
        assertThat(cadence.evaluates(7)).isFalse();
        assertThat(cadence.evaluates(12)).isTrue();
        assertThat(cadence.runs(11)).isTrue();
        assertThat(cadence.runs(12)).isFalse();
    }

    @Test
    void aRunStoppedByMaxTimeEvaluatesWhereItStops() throws InterruptedException {
        StepCadence cadence = new StepCadence(options("--eval-steps=50", "--max-time=1ms"), 100, true);
        Thread.sleep(20);
        assertThat(cadence.evaluates(7)).as("the model the stopped run leaves is evaluated").isTrue();
        assertThat(cadence.runs(7)).isFalse();
        assertThat(cadence.finished(7)).isFalse();
    }

    @Test
    void withoutHeldOutRowsNothingIsEvaluated() throws InterruptedException {
        StepCadence cadence = new StepCadence(options("--max-time=1ms"), 10, false);
        Thread.sleep(20);
        assertThat(cadence.evaluates(10)).isFalse();
        assertThat(cadence.runs(3)).isFalse();
    }
}
