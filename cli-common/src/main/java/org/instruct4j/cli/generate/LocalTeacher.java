package org.instruct4j.cli.generate;

import java.nio.file.Path;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.teacher.client.ChatClient;

/**
 * A local model as a teacher ({@code --local-model}). The model group (cli-model) provides it through
 * {@link java.util.ServiceLoader}; the API-only groups do not link the model engine, so without it --local-model is an
 * error that says how to run it.
 */
public interface LocalTeacher {
    /** What --local-*, --prompt-format, --device and the engine's options (--engine, --quantize, ...) ask for. */
    record Settings(Path model, Path tokenizer, String dtype, int batchSize, PromptFormat format, boolean truncatePrompts,
                    long seed, String device, EngineOptions engine) {}

    ChatClient open(Settings settings);
}
