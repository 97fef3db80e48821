package org.instruct4j.train.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.train.sft.SftConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreThePapersRecipe() {
        SftConfig config = SftConfig.defaults();
        assertThat(config.training().template()).isEqualTo("alpaca");
        assertThat(config.training().maxLength()).isEqualTo(512);
        assertThat(config.training().epochs()).isEqualTo(3);
        assertThat(config.training().lr()).isEqualTo(2e-5);
        assertThat(config.training().lrScheduler()).isEqualTo("cosine");
        assertThat(config.training().warmupRatio()).isEqualTo(0.03);
        assertThat(config.training().weightDecay()).isZero();
        assertThat(config.training().batchSize()).isEqualTo(64);
        assertThat(config.training().maxGradNorm()).isEqualTo(1.0);
        assertThat(config.training().loraTargetModules()).containsExactly("q_proj", "v_proj");
    }

    @Test
    void yamlThenCommandLineOverridesAndTheResolvedYamlLoadsBack() throws Exception {
        Path yaml = dir.resolve("sft.yaml");
        Files.writeString(yaml, """
                # a comment
                lr: 1e-4
                max_steps: 30
                lora_target_modules: [q_proj, k_proj, v_proj]
                precision: fp32
                max_time: 30m
                """);
        SftConfig config = SftConfig.resolve(yaml, List.of("--lr=3e-4", "--epochs", "2", "--quiet", "--packing=true"));
        assertThat(config.training().lr()).isEqualTo(3e-4);
        assertThat(config.training().maxSteps()).isEqualTo(30);
        assertThat(config.training().epochs()).isEqualTo(2);
        assertThat(config.training().quiet()).isTrue();
        assertThat(config.packing()).isTrue();
        assertThat(config.training().precision()).isEqualTo(Precision.FP32);
        assertThat(config.training().maxTime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.training().loraTargetModules()).containsExactly("q_proj", "k_proj", "v_proj");

        Path resolved = dir.resolve("resolved.yaml");
        config.toValues().writeYaml(resolved);
        assertThat(SftConfig.resolve(resolved, List.of())).isEqualTo(config);
    }

    @Test
    void unknownKeysAndBadValuesNameWhereTheyCameFrom() throws Exception {
        Path yaml = dir.resolve("sft.yaml");
        Files.writeString(yaml, "lr: 1e-4\nlearning_rate: 3\n");
        assertThatThrownBy(() -> SftConfig.resolve(yaml, List.of()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("sft.yaml:2: unknown setting 'learning_rate'");
        assertThatThrownBy(() -> SftConfig.resolve(null, List.of("--lr=fast")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--lr: lr: 'fast' is not a number");
        assertThatThrownBy(() -> SftConfig.resolve(null, List.of("--precision=fp16")))
                .hasMessageContaining("one of auto, bf16, fp32");
        assertThatThrownBy(() -> SftConfig.resolve(null, List.of("--batch-size=64", "--micro-batch-size=5")))
                .hasMessageContaining("not a multiple");
        assertThatThrownBy(() -> SftConfig.resolve(null, List.of("--max-steps")))
                .hasMessageContaining("--max-steps needs a value");
    }
}
