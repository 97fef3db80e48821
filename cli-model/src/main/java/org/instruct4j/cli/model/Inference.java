package org.instruct4j.cli.model;

import org.instruct4j.cli.EngineOptions;
import org.instruct4j.cli.ModelRuntimeOptions;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.tensor.Devices;
import org.instruct4j.model.tensor.Precision;

/** How a command runs its model for inference: the device it chose, then the engine's options. */
public final class Inference {
    private Inference() {}

    /** Selects {@code runtime}'s device and returns the engine's options for precision {@code dtype} (fp32 or bf16). */
    public static InferenceOptions options(ModelRuntimeOptions runtime, EngineOptions engine, String dtype) {
        return options(runtime.device(), engine.engine(), engine.quantize(), dtype);
    }

    /** The same from the values as written (auto|cpu|cuda|cuda:N, auto|java|torch, none|q8_0|q4_0, fp32|bf16). */
    public static InferenceOptions options(String device, String engine, String quantize, String dtype) {
        Devices.use(device);
        return new InferenceOptions(EngineChoice.parse(engine), Precision.parse(dtype), Quantization.parse(quantize));
    }
}
