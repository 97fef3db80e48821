package org.instruct4j.model.generate;

import java.util.List;
import org.instruct4j.core.io.BadInputException;

/**
 * How to pick tokens. Temperature 0 is greedy (argmax). topK 0 and topP 1 switch those filters off;
 * repetitionPenalty 1 is none (above 1 discourages tokens already in the prompt or output, as in
 * transformers). The same seed gives the same samples.
 */
public record GenerationConfig(int maxNewTokens, double temperature, double topP, int topK,
                               double repetitionPenalty, long seed, List<String> stopStrings, boolean stopAtEos) {

    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new BadInputException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        if (temperature < 0 || topP <= 0 || topP > 1 || topK < 0 || repetitionPenalty <= 0) {
            throw new BadInputException("invalid sampling settings: temperature " + temperature + ", top_p "
                    + topP + ", top_k " + topK + ", repetition_penalty " + repetitionPenalty);
        }
        stopStrings = List.copyOf(stopStrings);
    }

    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 1, 0, 1, 0, List.of(), true);
    }

    public GenerationConfig withMaxNewTokens(int value) {
        return new GenerationConfig(value, temperature, topP, topK, repetitionPenalty, seed, stopStrings, stopAtEos);
    }

    public GenerationConfig withSampling(double newTemperature, double newTopP, int newTopK, long newSeed) {
        return new GenerationConfig(maxNewTokens, newTemperature, newTopP, newTopK, repetitionPenalty, newSeed,
                stopStrings, stopAtEos);
    }

    public GenerationConfig withRepetitionPenalty(double value) {
        return new GenerationConfig(maxNewTokens, temperature, topP, topK, value, seed, stopStrings, stopAtEos);
    }

    public GenerationConfig withStopStrings(List<String> value) {
        return new GenerationConfig(maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, value, stopAtEos);
    }

    public GenerationConfig withStopAtEos(boolean value) {
        return new GenerationConfig(maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, stopStrings, value);
    }
}
