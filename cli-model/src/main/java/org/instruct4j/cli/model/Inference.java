package org.instruct4j.cli.model;

import org.instruct4j.cli.EngineOptions;
import org.instruct4j.cli.ModelRuntimeOptions;
import org.instruct4j.core.io.BadInputException;
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
        return options(runtime.device(), engine, dtype);
    }

    /** The same for device {@code device} as written (auto|cpu|cuda|cuda:N). */
    public static InferenceOptions options(String device, EngineOptions engine, String dtype) {
        Devices.use(device);
        return new InferenceOptions(EngineChoice.parse(engine.engine()), Precision.parse(dtype),
                Quantization.parse(engine.quantize()), kvCache(engine.kvCacheDtype()));
    }

    private static Precision kvCache(String dtype) {
        try {
            return Precision.parse(dtype);
        } catch (BadInputException e) {
            throw new BadInputException("--kv-cache-dtype: " + e.getMessage());
        }
    }
}
