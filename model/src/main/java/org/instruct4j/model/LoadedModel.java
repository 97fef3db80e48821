package org.instruct4j.model;

import java.nio.file.Path;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * A model ready to generate: the network, its tokenizer, and the generation defaults from the model's
 * generation_config.json (greedy with 256 new tokens when it has none).
 */
public record LoadedModel(CausalLm model, Tokenizer tokenizer, GenerationConfig defaults, Path source) {

    public Generator generator() {
        return new Generator(model, tokenizer);
    }
}
