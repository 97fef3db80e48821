package org.instruct4j.cli;

import picocli.CommandLine.Option;

/**
 * Which inference engine runs a command's model, how its weights are quantized on load and what its KV cache holds: one mixin for every
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

    @Option(names = "--kv-cache-dtype", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "With the java engine, the type of the KV cache: fp32 (default), or bf16 (half the memory per "
                    + "token and half the bytes each decode step reads from it, for keys and values rounded to bfloat16: "
                    + "outputs may differ slightly from fp32's).")
    String kvCacheDtype = "fp32";

    /** auto, java or torch, as written. */
    public String engine() {
        return engine;
    }

    /** none, q8_0 or q4_0, as written. */
    public String quantize() {
        return quantize;
    }

    /** fp32 or bf16, as written. */
    public String kvCacheDtype() {
        return kvCacheDtype;
    }
}
