package org.instruct4j.teacher.client;

import java.io.Serializable;
import java.util.List;
import org.instruct4j.core.io.BadInputException;

/**
 * Decoding parameters of one request. The GPT-4-LLM defaults (temperature 1.0, top_p 1.0,
 * max_tokens 512) are {@link #PAPER_DEFAULTS}. {@code seed} (null = none) is the API's sampling seed; best-of-n
 * sampling gives each of a prompt's n requests its own, so a local model draws n different samples. Serializable,
 * so Spark jobs can ship it to their executors.
 */
public record Sampling(double temperature, double topP, int maxTokens, List<String> stop, Long seed) implements Serializable {
    public static final Sampling PAPER_DEFAULTS = new Sampling(1.0, 1.0, 512, List.of());

    public Sampling {
        if (temperature < 0 || temperature > 2) {
            throw new BadInputException("temperature must be in [0, 2], got " + temperature);
        }
        if (topP <= 0 || topP > 1) {
            throw new BadInputException("top_p must be in (0, 1], got " + topP);
        }
        if (maxTokens < 1) {
            throw new BadInputException("max_tokens must be at least 1, got " + maxTokens);
        }
        stop = List.copyOf(stop);
    }

    public Sampling(double temperature, double topP, int maxTokens, List<String> stop) {
        this(temperature, topP, maxTokens, stop, null);
    }

    public Sampling withStop(List<String> newStop) {
        return new Sampling(temperature, topP, maxTokens, newStop, seed);
    }

    public Sampling withSeed(long newSeed) {
        return new Sampling(temperature, topP, maxTokens, stop, newSeed);
    }
}
