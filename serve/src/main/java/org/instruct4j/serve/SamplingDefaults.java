package org.instruct4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.instruct4j.core.io.Json;

/**
 * The sampling settings of a request that sets none, as vLLM chooses them: each field the model's
 * generation_config.json gives (temperature, top_p, top_k, repetition_penalty, max_new_tokens), else OpenAI's
 * default (temperature 1, top_p 1, no top-k, no penalty; {@code maxTokens} null: the server's default).
 */
public record SamplingDefaults(double temperature, double topP, int topK, double repetitionPenalty, Integer maxTokens) {
    public static final SamplingDefaults OPENAI = new SamplingDefaults(1.0, 1.0, 0, 1.0, null);

    /** The defaults of the model at {@code source} (a directory with generation_config.json, or OpenAI's). */
    public static SamplingDefaults of(Path source) {
        Path file = source == null ? null : source.resolve("generation_config.json");
        if (file == null || !Files.isRegularFile(file)) {
            return OPENAI;
        }
        try {
            JsonNode json = Json.MAPPER.readTree(file.toFile());
            return new SamplingDefaults(json.path("temperature").asDouble(OPENAI.temperature()),
                    json.path("top_p").asDouble(OPENAI.topP()), Math.max(0, json.path("top_k").asInt(OPENAI.topK())),
                    json.path("repetition_penalty").asDouble(OPENAI.repetitionPenalty()),
                    json.has("max_new_tokens") ? json.get("max_new_tokens").asInt() : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
