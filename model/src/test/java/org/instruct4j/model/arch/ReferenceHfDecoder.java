package org.instruct4j.model.arch;

import java.util.Map;

/**
 * Plain-Java loop implementations of the Hugging Face modeling code (modeling_llama / modeling_qwen2 /
 * modeling_mistral and modeling_opt), over float arrays named as in the checkpoints, for one sequence at
 * positions 0..n-1. Slow and obvious on purpose: they are the independent reference for the libtorch models.
 */
final class ReferenceHfDecoder {
    private ReferenceHfDecoder() {}

    /** Llama family: RMSNorm, rotate-half RoPE from {@code inverseFrequencies}, GQA, optional q/k/v bias and window. */
    static float[][] llama(Map<String, float[]> w, int dim, int hidden, int layers, int heads, int kvHeads, int vocab,
                           double eps, double[] inverseFrequencies, int window, boolean tied, int[] tokens) {
        int n = tokens.length, headDim = dim / heads, kvDim = kvHeads * headDim;
        float[][] x = new float[n][];
        for (int t = 0; t < n; t++) {
            x[t] = row(w.get("model.embed_tokens.weight"), tokens[t], dim);
        }
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            float[][] q = new float[n][], k = new float[n][], v = new float[n][];
            for (int t = 0; t < n; t++) {
                float[] h = rmsNorm(x[t], w.get(p + "input_layernorm.weight"), eps);
                q[t] = rope(linear(h, w.get(p + "self_attn.q_proj.weight"), w.get(p + "self_attn.q_proj.bias"), dim, dim),
                        heads, headDim, t, inverseFrequencies);
                k[t] = rope(linear(h, w.get(p + "self_attn.k_proj.weight"), w.get(p + "self_attn.k_proj.bias"), dim, kvDim),
                        kvHeads, headDim, t, inverseFrequencies);
                v[t] = linear(h, w.get(p + "self_attn.v_proj.weight"), w.get(p + "self_attn.v_proj.bias"), dim, kvDim);
            }
            for (int t = 0; t < n; t++) {
                float[] attended = attend(q, k, v, t, heads, heads / kvHeads, headDim, window);
                add(x[t], linear(attended, w.get(p + "self_attn.o_proj.weight"), null, dim, dim));
                float[] h = rmsNorm(x[t], w.get(p + "post_attention_layernorm.weight"), eps);
                float[] gate = linear(h, w.get(p + "mlp.gate_proj.weight"), null, dim, hidden);
                float[] up = linear(h, w.get(p + "mlp.up_proj.weight"), null, dim, hidden);
                for (int i = 0; i < hidden; i++) {
                    gate[i] = (float) (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
                }
                add(x[t], linear(gate, w.get(p + "mlp.down_proj.weight"), null, hidden, dim));
            }
        }
        float[] head = tied ? w.get("model.embed_tokens.weight") : w.get("lm_head.weight");
        float[][] logits = new float[n][];
        for (int t = 0; t < n; t++) {
            logits[t] = linear(rmsNorm(x[t], w.get("model.norm.weight"), eps), head, null, dim, vocab);
        }
        return logits;
    }

    /** OPT with pre-layer-norm (do_layer_norm_before), learned positions offset by 2, ReLU, tied head. */
    static float[][] opt(Map<String, float[]> w, int dim, int ffn, int layers, int heads, int vocab, int[] tokens) {
        int n = tokens.length, headDim = dim / heads;
        String d = "model.decoder.";
        float[][] x = new float[n][];
        for (int t = 0; t < n; t++) {
            x[t] = row(w.get(d + "embed_tokens.weight"), tokens[t], dim);
            add(x[t], row(w.get(d + "embed_positions.weight"), t + 2, dim));
        }
        for (int l = 0; l < layers; l++) {
            String p = d + "layers." + l + ".";
            float[][] q = new float[n][], k = new float[n][], v = new float[n][];
            for (int t = 0; t < n; t++) {
                float[] h = layerNorm(x[t], w.get(p + "self_attn_layer_norm.weight"), w.get(p + "self_attn_layer_norm.bias"));
                q[t] = linear(h, w.get(p + "self_attn.q_proj.weight"), w.get(p + "self_attn.q_proj.bias"), dim, dim);
                k[t] = linear(h, w.get(p + "self_attn.k_proj.weight"), w.get(p + "self_attn.k_proj.bias"), dim, dim);
                v[t] = linear(h, w.get(p + "self_attn.v_proj.weight"), w.get(p + "self_attn.v_proj.bias"), dim, dim);
            }
            for (int t = 0; t < n; t++) {
                float[] attended = attend(q, k, v, t, heads, 1, headDim, 0);
                add(x[t], linear(attended, w.get(p + "self_attn.out_proj.weight"), w.get(p + "self_attn.out_proj.bias"), dim, dim));
                float[] h = layerNorm(x[t], w.get(p + "final_layer_norm.weight"), w.get(p + "final_layer_norm.bias"));
                float[] up = linear(h, w.get(p + "fc1.weight"), w.get(p + "fc1.bias"), dim, ffn);
                for (int i = 0; i < ffn; i++) {
                    up[i] = Math.max(0, up[i]);
                }
                add(x[t], linear(up, w.get(p + "fc2.weight"), w.get(p + "fc2.bias"), ffn, dim));
            }
        }
        float[][] logits = new float[n][];
        for (int t = 0; t < n; t++) {
            float[] h = layerNorm(x[t], w.get(d + "final_layer_norm.weight"), w.get(d + "final_layer_norm.bias"));
            logits[t] = linear(h, w.get(d + "embed_tokens.weight"), null, dim, vocab);
        }
        return logits;
    }

    private static float[] attend(float[][] q, float[][] k, float[][] v, int t, int heads, int group, int headDim, int window) {
        float[] out = new float[heads * headDim];
        for (int h = 0; h < heads; h++) {
            int kvHead = h / group;
            int first = window > 0 ? Math.max(0, t - window + 1) : 0;
            double[] scores = new double[t + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int s = first; s <= t; s++) {
                double dot = 0;
                for (int i = 0; i < headDim; i++) {
                    dot += q[t][h * headDim + i] * k[s][kvHead * headDim + i];
                }
                scores[s] = dot / Math.sqrt(headDim);
                max = Math.max(max, scores[s]);
            }
            double sum = 0;
            for (int s = first; s <= t; s++) {
                scores[s] = Math.exp(scores[s] - max);
                sum += scores[s];
            }
            for (int s = first; s <= t; s++) {
                for (int i = 0; i < headDim; i++) {
                    out[h * headDim + i] += (float) (scores[s] / sum * v[s][kvHead * headDim + i]);
                }
            }
        }
        return out;
    }

    /** Rotate-half RoPE: element i pairs with i + headDim/2 inside each head. */
    private static float[] rope(float[] x, int heads, int headDim, int position, double[] inverseFrequencies) {
        float[] out = x.clone();
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double angle = position * (double) (float) inverseFrequencies[i];
                double cos = Math.cos(angle), sin = Math.sin(angle);
                float a = x[h * headDim + i], b = x[h * headDim + i + half];
                out[h * headDim + i] = (float) (a * cos - b * sin);
                out[h * headDim + i + half] = (float) (b * cos + a * sin);
            }
        }
        return out;
    }

    private static float[] rmsNorm(float[] x, float[] weight, double eps) {
        double ss = 0;
        for (float v : x) {
            ss += v * v;
        }
        double scale = 1 / Math.sqrt(ss / x.length + eps);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (weight[i] * x[i] * scale);
        }
        return out;
    }

    private static float[] layerNorm(float[] x, float[] weight, float[] bias) {
        double mean = 0, var = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) ((x[i] - mean) / Math.sqrt(var + 1e-5) * weight[i] + bias[i]);
        }
        return out;
    }

    /** y = W x (+ b) with W [out, in] row-major, as torch.nn.Linear. */
    private static float[] linear(float[] x, float[] weight, float[] bias, int in, int out) {
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double sum = bias == null ? 0 : bias[o];
            for (int i = 0; i < in; i++) {
                sum += weight[o * in + i] * x[i];
            }
            y[o] = (float) sum;
        }
        return y;
    }

    private static float[] row(float[] matrix, int row, int width) {
        float[] out = new float[width];
        System.arraycopy(matrix, row * width, out, 0, width);
        return out;
    }

    private static void add(float[] x, float[] delta) {
        for (int i = 0; i < x.length; i++) {
            x[i] += delta[i];
        }
    }
}
