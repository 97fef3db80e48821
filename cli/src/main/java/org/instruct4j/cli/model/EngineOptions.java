package org.instruct4j.cli.model;

import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.tensor.Precision;
import picocli.CommandLine.Option;

/**
 * How a command runs its model for inference; one mixin for every command that does (generate-text, generate with
 * --local-model, eval answer, score, rank, serve, quickstart), so an option added here reaches all of them.
 */
public final class EngineOptions {
    @Option(names = "--engine", defaultValue = "auto", paramLabel = "java|torch|auto",
            description = "Inference engine: java (pure-Java CPU engine: memory-mapped weights, Vector API kernels), torch "
                    + "(libtorch), auto (java on the CPU; default).")
    String engine;

    @Option(names = "--quantize", defaultValue = "none", paramLabel = "none|q8_0|q4_0",
            description = "With the java engine, quantize the weights on load to GGUF's Q8_0 (8-bit blocks: a quarter of "
                    + "float32's bytes per token) or Q4_0 (default: ${DEFAULT-VALUE}; a model saved by `model quantize` is "
                    + "already quantized).")
    String quantize;

    /** The options, with the command's precision ({@code fp32} or {@code bf16}). */
    public InferenceOptions options(String dtype) {
        try {
            return new InferenceOptions(EngineChoice.parse(engine), Precision.parse(dtype), Quantization.parse(quantize));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
