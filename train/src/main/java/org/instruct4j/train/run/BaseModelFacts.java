package org.instruct4j.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.lora.LoraSpec;

/**
 * What the settings of a run need to know about its base model, read from its config.json or llama2.c header
 * without loading a weight: its architecture, how many positions it was trained for (and where that number comes
 * from, for the error message), and the names of the linear layers LoRA may adapt.
 */
record BaseModelFacts(String modelType, int maxPositions, String positionsSource) {
    /** transformers' default when config.json has no max_position_embeddings, as the model module reads it. */
    private static final int DEFAULT_POSITIONS = 2048;
    private static final int LLAMA2C_HEADER_INTS = 7;

    static BaseModelFacts read(Path base) {
        if (Files.isRegularFile(base)) {
            return llama2c(base);
        }
        if (!Files.isRegularFile(base.resolve("config.json")) && LoraSpec.isAdapterDirectory(base)) {
            return read(ModelDirectory.adapterBase(base));
        }
        Path config = base.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new BadInputException("--base " + base + ": no config.json; is this a Hugging Face model directory?");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(config.toFile());
        } catch (IOException e) {
            throw new BadInputException(config + ": not valid JSON: " + e.getMessage());
        }
        return new BaseModelFacts(json.path("model_type").asText(""), json.path("max_position_embeddings").asInt(DEFAULT_POSITIONS),
                "max_position_embeddings in " + config);
    }

    private static BaseModelFacts llama2c(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(LLAMA2C_HEADER_INTS * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            if (channel.read(header, 0) < header.capacity()) {
                throw new BadInputException("--base " + file + ": too short for a llama2.c checkpoint");
            }
            return new BaseModelFacts("llama", header.getInt(6 * Integer.BYTES), "seq_len in the llama2.c header of " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The linear layers of one block, by their name inside it (what LoRA's target modules match, PEFT's rule). */
    List<String> linearModules() {
        return switch (modelType) {
            case "opt" -> List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj", "fc1", "fc2");
            default -> List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj",
                    "mlp.up_proj", "mlp.down_proj");
        };
    }

    /**
     * Whether LoRA target {@code target} names one of the linear layers: the name inside a block, its end after a dot
     * (PEFT's rule: q_proj), or a full name ending with it (model.layers.3.self_attn.q_proj).
     */
    boolean hasLinearModule(String target) {
        return linearModules().stream().anyMatch(module -> module.equals(target) || module.endsWith("." + target)
                || target.endsWith("." + module));
    }
}
