package org.instruct4j.model.cpu;

import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.arch.OptConfig;
import org.instruct4j.model.checkpoint.RopeLayout;

/** Builds an architecture's CPU model from its configuration and a checkpoint's tensors (Hugging Face names). */
final class CpuModels {
    private CpuModels() {}

    static CpuLlama llama(LlamaConfig config, CpuWeights w, RopeLayout ropeLayout) {
        CpuLlama.Layer[] layers = new CpuLlama.Layer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            layers[i] = new CpuLlama.Layer(
                    w.vector(p + "input_layernorm.weight"),
                    w.matrix(p + "self_attn.q_proj.weight"), w.optionalVector(p + "self_attn.q_proj.bias"),
                    w.matrix(p + "self_attn.k_proj.weight"), w.optionalVector(p + "self_attn.k_proj.bias"),
                    w.matrix(p + "self_attn.v_proj.weight"), w.optionalVector(p + "self_attn.v_proj.bias"),
                    w.matrix(p + "self_attn.o_proj.weight"),
                    w.vector(p + "post_attention_layernorm.weight"),
                    w.matrix(p + "mlp.gate_proj.weight"),
                    w.matrix(p + "mlp.up_proj.weight"),
                    w.matrix(p + "mlp.down_proj.weight"));
        }
        Matrix embedTokens = w.matrix("model.embed_tokens.weight");
        Matrix classifier = config.tieWordEmbeddings() ? embedTokens : w.optionalMatrix("lm_head.weight");
        Rope rope = new Rope(config.ropeInverseFrequencies(), config.headDim(), ropeLayout == RopeLayout.INTERLEAVED);
        return new CpuLlama(config, embedTokens, layers, w.vector("model.norm.weight"), classifier, rope);
    }

    static CpuOpt opt(OptConfig config, CpuWeights w) {
        String d = "model.decoder.";
        CpuOpt.Layer[] layers = new CpuOpt.Layer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = d + "layers." + i + ".";
            layers[i] = new CpuOpt.Layer(
                    w.vector(p + "self_attn_layer_norm.weight"), w.vector(p + "self_attn_layer_norm.bias"),
                    w.matrix(p + "self_attn.q_proj.weight"), w.vector(p + "self_attn.q_proj.bias"),
                    w.matrix(p + "self_attn.k_proj.weight"), w.vector(p + "self_attn.k_proj.bias"),
                    w.matrix(p + "self_attn.v_proj.weight"), w.vector(p + "self_attn.v_proj.bias"),
                    w.matrix(p + "self_attn.out_proj.weight"), w.vector(p + "self_attn.out_proj.bias"),
                    w.vector(p + "final_layer_norm.weight"), w.vector(p + "final_layer_norm.bias"),
                    w.matrix(p + "fc1.weight"), w.vector(p + "fc1.bias"),
                    w.matrix(p + "fc2.weight"), w.vector(p + "fc2.bias"));
        }
        Matrix embedTokens = w.matrix(d + "embed_tokens.weight");
        Matrix head = w.optionalMatrix("lm_head.weight");
        return new CpuOpt(config, embedTokens, w.matrix(d + "embed_positions.weight"),
                w.optionalMatrix(d + "project_in.weight"), w.optionalMatrix(d + "project_out.weight"),
                w.optionalVector(d + "final_layer_norm.weight"), w.optionalVector(d + "final_layer_norm.bias"),
                layers, head != null ? head : embedTokens);
    }
}
