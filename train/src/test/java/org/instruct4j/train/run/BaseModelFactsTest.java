package org.instruct4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.Projection;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.reward.OptRewardModelTest;
import org.instruct4j.train.sft.TinyRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseModelFactsTest {
    @TempDir
    Path dir;

    @Test
    void theFactsReadWithoutWeightsAreThoseOfTheLoadedModel() throws Exception {
        BaseModelFacts llama = BaseModelFacts.read(TinyRuns.STORIES);
        CausalLm stories = ModelDirectory.loadLlama2c(TinyRuns.STORIES, TinyRuns.STORIES_TOKENIZER, Precision.FP32,
                Tensors.defaultDevice()).model();
        assertThat(llama.maxPositions()).isEqualTo(stories.maxPositions()).isEqualTo(512);
        assertThat(new TreeSet<>(llama.linearModules())).isEqualTo(blockModules(stories.projections()));

        Path optDir = OptRewardModelTest.randomOpt(dir.resolve("opt"));
        BaseModelFacts opt = BaseModelFacts.read(optDir);
        CausalLm loaded = ModelDirectory.load(optDir).model();
        assertThat(opt.maxPositions()).isEqualTo(loaded.maxPositions());
        assertThat(new TreeSet<>(opt.linearModules())).isEqualTo(blockModules(loaded.projections()));
        assertThat(opt.hasLinearModule("fc1")).isTrue();
        assertThat(opt.hasLinearModule("out_proj")).isTrue();
        assertThat(opt.hasLinearModule("model.decoder.layers.1.self_attn.q_proj")).isTrue();
        assertThat(opt.hasLinearModule("o_proj")).isFalse();
    }

    /** The projections of the first block, by their name inside it. */
    private static TreeSet<String> blockModules(Map<String, Projection> projections) {
        return projections.keySet().stream().filter(name -> name.contains("layers.0."))
                .map(name -> name.substring(name.indexOf("layers.0.") + "layers.0.".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
