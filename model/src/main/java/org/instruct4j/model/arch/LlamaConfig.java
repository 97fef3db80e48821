package org.instruct4j.model.arch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.core.io.BadInputException;

/**
 * The fields of a Hugging Face LlamaConfig (also used for Mistral and Qwen2, which share the layout), named
 * as in config.json. {@code slidingWindow} is 0 when attention is not windowed.
 */
public record LlamaConfig(String modelType, int hiddenSize, int intermediateSize, int numHiddenLayers,
                          int numAttentionHeads, int numKeyValueHeads, int headDim, int vocabSize,
                          int maxPositionEmbeddings, double rmsNormEps, double ropeTheta, RopeScaling ropeScaling,
                          boolean tieWordEmbeddings, int slidingWindow, int bosTokenId, int[] eosTokenIds)
        implements ArchitectureConfig {

    public LlamaConfig {
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new BadInputException("num_attention_heads " + numAttentionHeads
                    + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
        }
    }

    /** A plain Llama configuration with head_dim = hidden_size / heads and theta 10000. */
    public static LlamaConfig llama(int hiddenSize, int intermediateSize, int layers, int heads, int kvHeads,
                                    int vocabSize, int maxPositions, boolean tied) {
        return new LlamaConfig("llama", hiddenSize, intermediateSize, layers, heads, kvHeads, hiddenSize / heads,
                vocabSize, maxPositions, 1e-5, 10000.0, null, tied, 0, 1, new int[] {2});
    }

    /**
     * llama2.c's TinyStories shapes, with a tied classifier: tiny = stories260K (dim 64, 5 layers, GQA 8/4),
     * small = stories15M (dim 288, 6 layers), base = stories110M (dim 768, 12 layers).
     */
    public static LlamaConfig preset(String name, int vocabSize) {
        return switch (name) {
            case "tiny" -> llama(64, 172, 5, 8, 4, vocabSize, 512, true);
            case "small" -> llama(288, 768, 6, 6, 6, vocabSize, 256, true);
            case "base" -> llama(768, 2048, 12, 12, 12, vocabSize, 1024, true);
            default -> throw new BadInputException("unknown preset '" + name + "': use tiny, small or base");
        };
    }

    /** RoPE's inverse frequencies theta^(-2i / headDim), i < headDim / 2, after rope_scaling; what both engines rotate by. */
    public float[] ropeInverseFrequencies() {
        int half = headDim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(ropeTheta, (2.0 * i) / headDim);
        }
        if (ropeScaling != null) {
            inv = ropeScaling.apply(inv);
        }
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            out[i] = (float) inv[i];
        }
        return out;
    }

    public int queriesPerKeyValueHead() {
        return numAttentionHeads / numKeyValueHeads;
    }

    static LlamaConfig fromJson(ConfigJson json) {
        int hidden = json.requiredInt("hidden_size");
        int heads = json.requiredInt("num_attention_heads");
        String type = json.optionalText("model_type", "llama");
        JsonNode scaling = json.root().get("rope_scaling");
        RopeScaling ropeScaling = scaling == null || scaling.isNull() ? null : new RopeScaling(
                scaling.has("rope_type") ? scaling.get("rope_type").asText() : scaling.path("type").asText(),
                scaling.path("factor").asDouble(1.0),
                scaling.path("low_freq_factor").asDouble(1.0),
                scaling.path("high_freq_factor").asDouble(4.0),
                scaling.path("original_max_position_embeddings").asInt(8192));
        if ("llama".equals(type) && json.optionalBoolean("attention_bias", false)) {
            throw json.error("attention_bias", "is true; Llama checkpoints with biased attention are not supported");
        }
        boolean windowed = !"qwen2".equals(type) || json.optionalBoolean("use_sliding_window", false);
        return new LlamaConfig(type, hidden,
                json.requiredInt("intermediate_size"),
                json.requiredInt("num_hidden_layers"),
                heads,
                json.optionalInt("num_key_value_heads", heads),
                json.optionalInt("head_dim", hidden / heads),
                json.requiredInt("vocab_size"),
                json.optionalInt("max_position_embeddings", 2048),
                json.optionalDouble("rms_norm_eps", 1e-6),
                json.optionalDouble("rope_theta", 10000.0),
                ropeScaling,
                json.optionalBoolean("tie_word_embeddings", false),
                windowed ? json.optionalInt("sliding_window", 0) : 0,
                json.optionalInt("bos_token_id", 1),
                json.intOrIntList("eos_token_id"));
    }

    /** config.json for this configuration, as transformers writes it for the model_type's ...ForCausalLM. */
    public ObjectNode configJson(String torchDtype) {
        String architecture = switch (modelType) {
            case "mistral" -> "MistralForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> "LlamaForCausalLM";
        };
        return toJson(torchDtype, architecture);
    }

    ObjectNode toJson(String torchDtype, String architecture) {
        ObjectNode node = ConfigJson.newObject();
        node.putArray("architectures").add(architecture);
        node.put("model_type", modelType);
        node.put("hidden_size", hiddenSize);
        node.put("intermediate_size", intermediateSize);
        node.put("num_hidden_layers", numHiddenLayers);
        node.put("num_attention_heads", numAttentionHeads);
        node.put("num_key_value_heads", numKeyValueHeads);
        node.put("head_dim", headDim);
        node.put("vocab_size", vocabSize);
        node.put("max_position_embeddings", maxPositionEmbeddings);
        node.put("rms_norm_eps", rmsNormEps);
        node.put("rope_theta", ropeTheta);
        if (ropeScaling == null) {
            node.putNull("rope_scaling");
        } else {
            ObjectNode scaling = node.putObject("rope_scaling");
            scaling.put("rope_type", ropeScaling.type());
            scaling.put("factor", ropeScaling.factor());
            scaling.put("low_freq_factor", ropeScaling.lowFreqFactor());
            scaling.put("high_freq_factor", ropeScaling.highFreqFactor());
            scaling.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
        }
        node.put("tie_word_embeddings", tieWordEmbeddings);
        if (slidingWindow > 0) {
            node.put("sliding_window", slidingWindow);
            node.put("use_sliding_window", true);
        } else if ("mistral".equals(modelType)) {
            node.putNull("sliding_window");
        }
        node.put("hidden_act", "silu");
        node.put("attention_bias", false);
        node.put("bos_token_id", bosTokenId);
        if (eosTokenIds.length == 1) {
            node.put("eos_token_id", eosTokenIds[0]);
        } else {
            var list = node.putArray("eos_token_id");
            for (int id : eosTokenIds) {
                list.add(id);
            }
        }
        node.put("torch_dtype", torchDtype);
        return node;
    }
}
