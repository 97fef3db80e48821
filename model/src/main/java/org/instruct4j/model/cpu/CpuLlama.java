package org.instruct4j.model.cpu;

import org.instruct4j.model.arch.LlamaConfig;

/**
 * Llama 1/2/3, Mistral (sliding window) and Qwen2 (q/k/v biases) on the CPU engine: the same architecture as
 * {@link org.instruct4j.model.arch.Llama}, described by the same {@link LlamaConfig} and weight names.
 *
 * <pre>
 * x = embed_tokens[token]
 * for each layer:  x += o_proj(attention(rope(q_proj(rms(x))), rope(k_proj(rms(x))), v_proj(rms(x))))
 *                  x += down_proj(silu(gate_proj(rms(x))) * up_proj(rms(x)))
 * hidden = rms(x)
 * </pre>
 */
final class CpuLlama implements CpuModel {
    /** One decoder layer's weights; biases are null where the checkpoint has none (only Qwen2 has q/k/v biases). */
    record Layer(float[] attentionNorm, Matrix q, float[] qBias, Matrix k, float[] kBias, Matrix v, float[] vBias, Matrix o,
                 float[] ffnNorm, Matrix gate, Matrix up, Matrix down) {}

    private final LlamaConfig config;
    private final ModelDims dims;
    private final Matrix embedTokens;
    private final Layer[] layers;
    private final float[] norm;
    private final Matrix classifier;
    private final Rope rope;
    private final float eps;

    CpuLlama(LlamaConfig config, Matrix embedTokens, Layer[] layers, float[] norm, Matrix classifier, Rope rope) {
        this.config = config;
        this.embedTokens = embedTokens;
        this.layers = layers;
        this.norm = norm;
        this.classifier = classifier;
        this.rope = rope;
        this.eps = (float) config.rmsNormEps();
        int headDim = config.headDim();
        this.dims = new ModelDims(config.hiddenSize(), config.numAttentionHeads() * headDim,
                config.numKeyValueHeads() * headDim, config.intermediateSize(), config.vocabSize(), config.hiddenSize(),
                layers.length, config.numAttentionHeads(), config.numKeyValueHeads(), headDim,
                config.maxPositionEmbeddings());
    }

    @Override
    public void forward(Step s) {
        int n = s.size, dim = dims.dim();
        for (int t = 0; t < n; t++) {
            embedTokens.dequantizeRow(s.tokens[t], s.x, t * dim);
        }
        rope.prepare(s.positions, n);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            int layerIndex = l; // for the row work below (a lambda takes effectively final values)
            // attention: x += o_proj(attention(rope(q), rope(k), v)) of the normalized x
            s.rowSplit.run(n, dim, (from, to) -> Norms.rms(s.x, s.xb, layer.attentionNorm(), from, to, dim, eps));
            s.matmul.run(s.xb, n, layer.q(), s.q, layer.k(), s.k, layer.v(), s.v);
            s.rowSplit.run(n, dims.qDim(), (from, to) -> {
                Norms.addBias(s.q, layer.qBias(), from, to);
                Norms.addBias(s.k, layer.kBias(), from, to);
                Norms.addBias(s.v, layer.vBias(), from, to);
                rope.rotate(s.q, from, to, dims.heads());
                rope.rotate(s.k, from, to, dims.kvHeads());
                s.storeKeysAndValues(layerIndex, from, to);
            });
            s.attention.run(s, l);
            s.matmul.run(s.att, n, layer.o(), s.xb2);
            // feed-forward: x += down_proj(silu(gate_proj(h)) * up_proj(h)), h the normalized x
            s.rowSplit.run(n, dim, (from, to) -> {
                VectorMath.add(s.xb2, from * dim, s.x, from * dim, (to - from) * dim);
                Norms.rms(s.x, s.xb, layer.ffnNorm(), from, to, dim, eps);
            });
            s.matmul.run(s.xb, n, layer.gate(), s.hb, layer.up(), s.hb2);
            s.rowSplit.run(n, dims.hidden(), (from, to) -> Norms.swiglu(s.hb, s.hb2, from, to, dims.hidden()));
            s.matmul.run(s.hb, n, layer.down(), s.xb2);
            s.rowSplit.run(n, dim, (from, to) -> VectorMath.add(s.xb2, from * dim, s.x, from * dim, (to - from) * dim));
        }
        for (int i = 0; i < s.outputs; i++) {
            Norms.rms(s.x, s.outputSlots[i] * dim, s.hidden, i * dim, norm, dim, eps);
        }
    }

    @Override
    public ModelDims dims() {
        return dims;
    }

    @Override
    public Matrix classifier() {
        return classifier;
    }

    @Override
    public long matrixBytes() {
        long bytes = classifier == null ? 0 : classifier.bytes();
        for (Layer l : layers) {
            bytes += l.q().bytes() + l.k().bytes() + l.v().bytes() + l.o().bytes() + l.gate().bytes() + l.up().bytes()
                    + l.down().bytes();
        }
        return bytes;
    }

    @Override
    public String formats() {
        return Formats.of(embedTokens, classifier, layers[0].q(), layers[0].down());
    }

    LlamaConfig config() {
        return config;
    }
}
