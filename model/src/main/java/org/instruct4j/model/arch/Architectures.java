package org.instruct4j.model.arch;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;

/** Builds the right architecture from a config.json's model_type, or with random weights. */
public final class Architectures {
    private Architectures() {}

    /** The model described by {@code configFile}, over {@code weights} named as in Hugging Face checkpoints. */
    public static CausalLm fromConfig(Path configFile, Map<String, Tensor> weights) {
        String source = configFile.getParent().toString();
        return switch (ArchitectureConfig.read(configFile)) {
            case LlamaConfig llama -> new Llama(llama, weights, source);
            case OptConfig opt -> new Opt(opt, weights, source);
        };
    }

    /** The model_type of a config.json, to pick its architecture. */
    public static String modelType(Path configFile) {
        return ConfigJson.read(configFile).optionalText("model_type", "");
    }

    /**
     * A Llama with random weights: normal(0, 0.02) matrices as transformers' initializer_range, unit norms.
     * The same seed gives the same weights.
     */
    public static Llama randomLlama(LlamaConfig config, Precision precision, Device device, long seed) {
        torch.manual_seed(seed);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        int dim = config.hiddenSize(), hidden = config.intermediateSize();
        int qDim = config.numAttentionHeads() * config.headDim(), kvDim = config.numKeyValueHeads() * config.headDim();
        UnaryOperator<Tensor> place = t -> Tensors.keep(t.to(device, precision.scalarType()));
        weights.put("model.embed_tokens.weight", place.apply(normal(config.vocabSize(), dim)));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            weights.put(p + "input_layernorm.weight", place.apply(ones(dim)));
            weights.put(p + "self_attn.q_proj.weight", place.apply(normal(qDim, dim)));
            weights.put(p + "self_attn.k_proj.weight", place.apply(normal(kvDim, dim)));
            weights.put(p + "self_attn.v_proj.weight", place.apply(normal(kvDim, dim)));
            weights.put(p + "self_attn.o_proj.weight", place.apply(normal(dim, qDim)));
            weights.put(p + "post_attention_layernorm.weight", place.apply(ones(dim)));
            weights.put(p + "mlp.gate_proj.weight", place.apply(normal(hidden, dim)));
            weights.put(p + "mlp.up_proj.weight", place.apply(normal(hidden, dim)));
            weights.put(p + "mlp.down_proj.weight", place.apply(normal(dim, hidden)));
        }
        weights.put("model.norm.weight", place.apply(ones(dim)));
        if (!config.tieWordEmbeddings()) {
            weights.put("lm_head.weight", place.apply(normal(config.vocabSize(), dim)));
        }
        return new Llama(config, weights, "random init (seed " + seed + ")");
    }

    private static Tensor normal(long... shape) {
        return torch.randn(shape, new TensorOptions(ScalarType.Float)).mul(new Scalar(0.02));
    }

    private static Tensor ones(long size) {
        return torch.ones(new long[] {size}, new TensorOptions(ScalarType.Float));
    }
}
