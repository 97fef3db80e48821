package org.instruct4j.train.sft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.train.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole fine-tuning run with --gradient-checkpointing learns exactly what the run without it learns, and resumes. */
class GradientCheckpointingRunTest {
    private static final String[] RUN = {"--batch-size=4", "--micro-batch-size=2", "--epochs=1", "--lr=1e-3", "--save-steps=3",
        "--save-total-limit=5", "--eval-fraction=0.125", "--eval-steps=4", "--max-length=256", "--packing"};

    @TempDir
    Path dir;

    @Test
    void theLossCurveIsTheSameWithTheSettingFromYamlAndAResumedRunContinuesIt() throws Exception {
        Path data = TinyRuns.alpacaSubset(dir, 32, 150);
        Path plain = dir.resolve("plain");
        SftRecipe.run(TinyRuns.stories(data, plain, RUN));

        Path checkpointed = dir.resolve("checkpointed");
        Path yaml = dir.resolve("sft.yaml");
        Files.writeString(yaml, "gradient_checkpointing: true\n");
        List<String> overrides = new ArrayList<>(List.of(TinyRuns.storiesRun(data, checkpointed)));
        overrides.addAll(List.of(RUN));
        Settings settings = SftRecipe.SETTINGS.resolve(yaml, overrides);
        assertThat(settings.get(org.instruct4j.train.config.TrainingSettings.GRADIENT_CHECKPOINTING)).isTrue();
        SftRecipe.run(settings);

        List<JsonNode> expected = TinyRuns.metrics(plain);
        assertThat(expected).hasSize(8);
        TinyRuns.assertSameCurve(TinyRuns.metrics(checkpointed), expected);
        assertThat(TinyRuns.metrics(checkpointed).subList(1, 8)).as("peak memory of every step")
                .allSatisfy(row -> assertThat(row.path("peak_rss_mb").asLong()).isPositive());

        // a run killed after step 5 (checkpoint at step 3) resumes with checkpointing to the same curve
        Path killed = dir.resolve("killed");
        TinyRuns.killedAfter(checkpointed, 3, 6, killed);
        SftResult resumed = SftRecipe.run(TinyRuns.stories(data, killed, RUN).with("--gradient-checkpointing", "--resume"));

        assertThat(resumed.finished()).isTrue();
        TinyRuns.assertSameCurve(TinyRuns.metrics(killed), expected);
    }
}
