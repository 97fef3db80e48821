package org.instruct4j.model.arch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The fields of a Hugging Face OPTConfig, named as in config.json. */
public record OptConfig(int hiddenSize, int ffnDim, int numHiddenLayers, int numAttentionHeads, int vocabSize,
                        int maxPositionEmbeddings, int wordEmbedProjDim, boolean doLayerNormBefore,
                        String activationFunction, int bosTokenId, int eosTokenId, int padTokenId)
        implements ArchitectureConfig {

    static OptConfig fromJson(ConfigJson json) {
        int hidden = json.requiredInt("hidden_size");
        String activation = json.optionalText("activation_function", "relu");
        if (!activation.equals("relu") && !activation.equals("gelu")) {
            throw json.error("activation_function", "is '" + activation + "'; supported are relu and gelu");
        }
        return new OptConfig(hidden,
                json.requiredInt("ffn_dim"),
                json.requiredInt("num_hidden_layers"),
                json.requiredInt("num_attention_heads"),
                json.requiredInt("vocab_size"),
                json.optionalInt("max_position_embeddings", 2048),
                json.optionalInt("word_embed_proj_dim", hidden),
                json.optionalBoolean("do_layer_norm_before", true),
                activation,
                json.optionalInt("bos_token_id", 2),
                json.optionalInt("eos_token_id", 2),
                json.optionalInt("pad_token_id", 1));
    }

    ObjectNode toJson(String torchDtype) {
        ObjectNode node = ConfigJson.newObject();
        node.putArray("architectures").add("OPTForCausalLM");
        node.put("model_type", "opt");
        node.put("hidden_size", hiddenSize);
        node.put("ffn_dim", ffnDim);
        node.put("num_hidden_layers", numHiddenLayers);
        node.put("num_attention_heads", numAttentionHeads);
        node.put("vocab_size", vocabSize);
        node.put("max_position_embeddings", maxPositionEmbeddings);
        node.put("word_embed_proj_dim", wordEmbedProjDim);
        node.put("do_layer_norm_before", doLayerNormBefore);
        node.put("activation_function", activationFunction);
        node.put("enable_bias", true);
        node.put("layer_norm_elementwise_affine", true);
        node.put("bos_token_id", bosTokenId);
        node.put("eos_token_id", eosTokenId);
        node.put("pad_token_id", padTokenId);
        node.put("torch_dtype", torchDtype);
        return node;
    }
}
