package org.instruct4j.model.arch;

import java.nio.file.Path;

/**
 * A model's description, read from its config.json: the one both engines build from (libtorch's {@link CausalLm}
 * and the CPU engine), with the weights named as in Hugging Face checkpoints.
 */
public sealed interface ArchitectureConfig permits LlamaConfig, OptConfig {

    /** The configuration in {@code configFile}, by its model_type. */
    static ArchitectureConfig read(Path configFile) {
        ConfigJson json = ConfigJson.read(configFile);
        String type = json.optionalText("model_type", "");
        return switch (type) {
            case "llama", "mistral", "qwen2" -> LlamaConfig.fromJson(json);
            case "opt" -> OptConfig.fromJson(json);
            default -> throw json.error("model_type", "is '" + type + "'; supported are llama, mistral, qwen2, opt");
        };
    }
}
