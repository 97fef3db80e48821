package org.instruct4j.model.engine;

import org.instruct4j.model.tensor.Precision;

/**
 * How to run a model for inference: the engine, the precision (libtorch computes in it; the CPU engine computes in
 * float32 and with bf16 rounds float32 weights to bfloat16), the CPU engine's quantization on load, and the type the
 * CPU engine keeps its KV cache in (float32, or bfloat16: half the memory and the bytes each step reads, for keys and
 * values rounded to bfloat16, as vLLM's and llama.cpp's 16-bit caches).
 */
public record InferenceOptions(EngineChoice engine, Precision precision, Quantization quantization, Precision kvCache) {

    /** The default: the CPU engine on the CPU, weights as stored, a float32 KV cache. */
    public static InferenceOptions defaults() {
        return new InferenceOptions(EngineChoice.AUTO, Precision.FP32, Quantization.NONE, Precision.FP32);
    }

    public InferenceOptions withEngine(EngineChoice value) {
        return new InferenceOptions(value, precision, quantization, kvCache);
    }

    public InferenceOptions withPrecision(Precision value) {
        return new InferenceOptions(engine, value, quantization, kvCache);
    }

    public InferenceOptions withQuantization(Quantization value) {
        return new InferenceOptions(engine, precision, value, kvCache);
    }

    public InferenceOptions withKvCache(Precision value) {
        return new InferenceOptions(engine, precision, quantization, value);
    }
}
