package org.instruct4j.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.instruct4j.model.arch.ArchitectureConfig;
import org.instruct4j.model.checkpoint.Gguf;
import org.instruct4j.model.checkpoint.Llama2cCheckpoint;
import org.instruct4j.model.checkpoint.MappedCheckpoint;
import org.instruct4j.model.checkpoint.Safetensors;

/**
 * A model's description and its memory-mapped weights, whatever files hold them: a Hugging Face directory
 * (config.json with model.safetensors or its shards), a quantized directory (config.json with model.gguf, as
 * {@code model quantize} writes), or a llama2.c checkpoint file. Closing it unmaps the weights.
 */
public record ModelFiles(ArchitectureConfig config, MappedCheckpoint weights) implements AutoCloseable {
    /** The weights file of a quantized model directory. */
    public static final String GGUF_FILE = "model.gguf";

    /** Maps the model at {@code path} (a directory, or a llama2.c .bin file). */
    public static ModelFiles map(Path path) {
        if (Files.isRegularFile(path)) {
            Llama2cCheckpoint.Mapped checkpoint = Llama2cCheckpoint.map(path);
            return new ModelFiles(checkpoint.config(), checkpoint.tensors());
        }
        Path config = path.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException(path + ": no config.json; is this a Hugging Face model directory?");
        }
        ArchitectureConfig architecture = ArchitectureConfig.read(config);
        Path gguf = path.resolve(GGUF_FILE);
        return new ModelFiles(architecture, Files.isRegularFile(gguf) ? Gguf.map(gguf).tensors() : Safetensors.map(path));
    }

    @Override
    public void close() {
        weights.close();
    }
}
