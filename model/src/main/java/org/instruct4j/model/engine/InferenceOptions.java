package org.instruct4j.model.engine;

import org.instruct4j.model.tensor.Precision;

/**
 * How to run a model for inference: the engine, the precision (libtorch computes in it; the CPU engine computes in
 * float32 and with bf16 rounds float32 weights to bfloat16), and the CPU engine's quantization on load.
 */
public record InferenceOptions(EngineChoice engine, Precision precision, Quantization quantization) {

    /** The default: the CPU engine on the CPU, weights as stored. */
    public static InferenceOptions defaults() {
        return new InferenceOptions(EngineChoice.AUTO, Precision.FP32, Quantization.NONE);
    }

    public InferenceOptions withEngine(EngineChoice value) {
        return new InferenceOptions(value, precision, quantization);
    }

    public InferenceOptions withPrecision(Precision value) {
        return new InferenceOptions(engine, value, quantization);
    }
}
