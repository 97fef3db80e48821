package org.instruct4j.train.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.instruct4j.train.config.TrainingSettings.BATCH_SIZE;
import static org.instruct4j.train.config.TrainingSettings.EPOCHS;
import static org.instruct4j.train.config.TrainingSettings.LORA_TARGET_MODULES;
import static org.instruct4j.train.config.TrainingSettings.LR;
import static org.instruct4j.train.config.TrainingSettings.LR_SCHEDULER;
import static org.instruct4j.train.config.TrainingSettings.MAX_GRAD_NORM;
import static org.instruct4j.train.config.TrainingSettings.MAX_LENGTH;
import static org.instruct4j.train.config.TrainingSettings.MAX_STEPS;
import static org.instruct4j.train.config.TrainingSettings.MAX_TIME;
import static org.instruct4j.train.config.TrainingSettings.PRECISION;
import static org.instruct4j.train.config.TrainingSettings.PROMPT_FORMAT;
import static org.instruct4j.train.config.TrainingSettings.QUIET;
import static org.instruct4j.train.config.TrainingSettings.WARMUP_RATIO;
import static org.instruct4j.train.config.TrainingSettings.WEIGHT_DECAY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.train.dpo.DpoRecipe;
import org.instruct4j.train.reward.RewardRecipe;
import org.instruct4j.train.sft.SftRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void sftDefaultsAreThePapersRecipeAndEachRecipeKeepsItsOwn() {
        Settings sft = SftRecipe.SETTINGS.defaults();
        assertThat(sft.get(PROMPT_FORMAT)).isEqualTo("alpaca");
        assertThat(sft.get(MAX_LENGTH)).isEqualTo(512);
        assertThat(sft.get(EPOCHS)).isEqualTo(3);
        assertThat(sft.get(LR)).isEqualTo(2e-5);
        assertThat(sft.get(LR_SCHEDULER)).isEqualTo("cosine");
        assertThat(sft.get(WARMUP_RATIO)).isEqualTo(0.03);
        assertThat(sft.get(WEIGHT_DECAY)).isZero();
        assertThat(sft.get(BATCH_SIZE)).isEqualTo(64);
        assertThat(sft.get(MAX_GRAD_NORM)).isEqualTo(1.0);
        assertThat(sft.get(LORA_TARGET_MODULES)).containsExactly("q_proj", "v_proj");
        assertThat(sft.get(SftRecipe.PACKING)).isFalse();

        assertThat(RewardRecipe.SETTINGS.defaults().get(LR)).isEqualTo(1e-5);
        assertThat(RewardRecipe.SETTINGS.defaults().get(EPOCHS)).isEqualTo(1);
        assertThat(DpoRecipe.SETTINGS.defaults().get(LR)).isEqualTo(5e-7);
        assertThat(DpoRecipe.SETTINGS.defaults().get(BATCH_SIZE)).isEqualTo(32);
        assertThat(DpoRecipe.SETTINGS.defaults().get(DpoRecipe.BETA)).isEqualTo(0.1);
        assertThatThrownBy(() -> SftRecipe.SETTINGS.defaults().get(DpoRecipe.BETA)).isInstanceOf(IllegalStateException.class);
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
        Settings settings = SftRecipe.SETTINGS.resolve(yaml, List.of("--lr=3e-4", "--epochs", "2", "--quiet", "--packing=true"));
        assertThat(settings.get(LR)).isEqualTo(3e-4);
        assertThat(settings.get(MAX_STEPS)).isEqualTo(30);
        assertThat(settings.get(EPOCHS)).isEqualTo(2);
        assertThat(settings.get(QUIET)).isTrue();
        assertThat(settings.get(SftRecipe.PACKING)).isTrue();
        assertThat(settings.get(PRECISION)).isEqualTo("fp32");
        assertThat(settings.get(MAX_TIME)).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.get(LORA_TARGET_MODULES)).containsExactly("q_proj", "k_proj", "v_proj");

        Path resolved = dir.resolve("resolved.yaml");
        settings.writeYaml(resolved);
        assertThat(SftRecipe.SETTINGS.resolve(resolved, List.of())).isEqualTo(settings);
        assertThat(settings.changesFrom(SftRecipe.SETTINGS.resolve(resolved, List.of("--quiet=false", "--lr=1e-3"))))
                .as("quiet may change when resuming, lr may not").containsExactly("lr 0.001 -> 3.0E-4");
    }

    @Test
    void unknownKeysBadValuesAndBrokenRulesNameWhereTheyCameFrom() throws Exception {
        Path yaml = dir.resolve("sft.yaml");
        Files.writeString(yaml, "lr: 1e-4\nlearning_rate: 3\n");
        assertThatThrownBy(() -> SftRecipe.SETTINGS.resolve(yaml, List.of()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("sft.yaml:2: unknown setting 'learning_rate'");
        assertThatThrownBy(() -> SftRecipe.SETTINGS.resolve(null, List.of("--lr=fast")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--lr: lr: 'fast' is not a number");
        assertThatThrownBy(() -> SftRecipe.SETTINGS.resolve(null, List.of("--precision=fp16")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("one of auto, bf16, fp32");
        assertThatThrownBy(() -> SftRecipe.SETTINGS.resolve(null, List.of("--batch-size=64", "--micro-batch-size=5")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a multiple");
        assertThatThrownBy(() -> SftRecipe.SETTINGS.resolve(null, List.of("--max-steps")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--max-steps needs a value");
        assertThatThrownBy(() -> SftRecipe.SETTINGS.resolve(null, List.of("--warmup-ratio=1.5")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--warmup-ratio: warmup-ratio must be in [0, 1), got 1.5");
        Files.writeString(yaml, "epochs: 0\n");
        assertThatThrownBy(() -> SftRecipe.SETTINGS.resolve(yaml, List.of()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("sft.yaml:1: epochs must be positive, got 0");
        assertThatThrownBy(() -> SftRecipe.SETTINGS.resolve(null, List.of("--lora", "--lora-r=0")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("LoRA rank must be positive");
        assertThatThrownBy(() -> DpoRecipe.SETTINGS.resolve(null, List.of("--beta=0")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("beta must be positive");
    }

    @Test
    void aNewSettingIsOneDeclaration() {
        Setting<Integer> heads = Setting.integer("extra-heads", 2, "an invented setting").must(v -> v > 0, "must be positive");
        Schema schema = SftRecipe.SETTINGS.plus(heads);
        Settings settings = schema.resolve(null, List.of("--extra_heads=5"));
        assertThat(settings.get(heads)).isEqualTo(5);
        assertThat(settings.toYaml()).contains("# an invented setting\nextra_heads: 5\n");
        assertThat(schema.with(heads.withDefault(7)).defaults().get(heads)).isEqualTo(7);
    }
}
