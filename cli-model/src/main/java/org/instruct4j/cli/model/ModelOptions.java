package org.instruct4j.cli.model;

import java.nio.file.Path;
import org.instruct4j.cli.Reads;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.cli.ModelRuntimeOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which local model to load: a Hugging Face directory, or a llama2.c .bin with its tokenizer. */
public final class ModelOptions {
    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model directory (config.json + safetensors), or a llama2.c .bin checkpoint.")
    Path model;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Tokenizer for a llama2.c .bin checkpoint (tokenizer.bin, tokenizer.model or tokenizer.json).")
    Path tokenizer;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "Precision to compute in (default: ${DEFAULT-VALUE}); bf16 halves the memory and, measured on a 2-core AVX2 CPU, decodes 15M-110M models 1.3-1.6x faster but prefills 2-4x slower.")
    String dtype;

    @Mixin
    ModelRuntimeOptions runtime;

    public Path model() {
        return model;
    }

    public Path tokenizer() {
        return tokenizer;
    }

    /** The model, on the device --device chose and the engine {@code engine} says. */
    public InferenceModel load(EngineOptions engine) {
        if (tokenizer == null && java.nio.file.Files.isRegularFile(model)) {
            throw new BadInputException("--model " + model + " is a llama2.c checkpoint: give its --tokenizer");
        }
        return ModelDirectory.openForInference(model, tokenizer, Inference.options(runtime, engine, dtype));
    }
}
