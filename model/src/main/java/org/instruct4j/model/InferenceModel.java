package org.instruct4j.model;

import java.nio.file.Path;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * A model loaded for inference: its engine (CPU or libtorch), its tokenizer, and the generation defaults of its
 * generation_config.json (greedy with 256 new tokens when it has none). Closing it closes the engine.
 */
public record InferenceModel(InferenceEngine engine, Tokenizer tokenizer, GenerationConfig defaults, Path source)
        implements AutoCloseable {

    public Generator generator() {
        return new Generator(engine, tokenizer);
    }

    @Override
    public void close() {
        engine.close();
    }
}
