package org.instruct4j.cli;

import picocli.CommandLine.Option;

/**
 * Which inference engine runs a command's model, and how its weights are quantized on load: one mixin for every
 * command that generates or scores (generate-text, generate with --local-model, eval answer, score, rank, serve,
 * quickstart), so an option added here reaches all of them. Plain values only, as {@link ModelRuntimeOptions}: the
 * model group turns them into the engine's options.
 */
public final class EngineOptions {
    @Option(names = "--engine", defaultValue = "auto", paramLabel = "java|torch|auto",
            description = "Inference engine: java (pure-Java CPU engine: memory-mapped weights, Vector API kernels), torch "
                    + "(libtorch), auto (java on the CPU, torch on a GPU; default).")
    String engine = "auto";

    @Option(names = "--quantize", defaultValue = "none", paramLabel = "none|q8_0|q4_0",
            description = "With the java engine, quantize the weights on load to GGUF's Q8_0 (8-bit blocks: a quarter of "
                    + "float32's bytes per token) or Q4_0 (default: ${DEFAULT-VALUE}; a model saved by `model quantize` is "
                    + "already quantized).")
    String quantize = "none";

    /** auto, java or torch, as written. */
    public String engine() {
        return engine;
    }

    /** none, q8_0 or q4_0, as written. */
    public String quantize() {
        return quantize;
    }
}
