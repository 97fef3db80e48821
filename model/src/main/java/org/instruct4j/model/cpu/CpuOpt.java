package org.instruct4j.model.cpu;

import org.instruct4j.model.arch.OptConfig;

/**
 * OPT on the CPU engine: the same architecture as {@link org.instruct4j.model.arch.Opt}, from the same
 * {@link OptConfig} and weight names (learned positions offset by 2, LayerNorm with bias, biased projections,
 * ReLU or GELU feed-forward, normalization before each block, or after it as opt-350m does, which also projects
 * embeddings in and out of a narrower width).
 *
 * <pre>
 * x = project_in(embed_tokens[token]) + embed_positions[position + 2]
 * for each layer:  x += out_proj(attention(q_proj(ln(x)), k_proj(ln(x)), v_proj(ln(x))))
 *                  x += fc2(relu(fc1(ln(x))))
 * hidden = project_out(ln(x))
 * </pre>
 */
final class CpuOpt implements CpuModel {
    private static final int POSITION_OFFSET = 2;
    private static final float EPS = 1e-5f;

    record Layer(float[] attentionNorm, float[] attentionNormBias, Matrix q, float[] qBias, Matrix k, float[] kBias,
                 Matrix v, float[] vBias, Matrix out, float[] outBias, float[] ffnNorm, float[] ffnNormBias,
                 Matrix fc1, float[] fc1Bias, Matrix fc2, float[] fc2Bias) {}

    private final OptConfig config;
    private final ModelDims dims;
    private final Matrix embedTokens;
    private final Matrix embedPositions;
    private final Matrix projectIn;
    private final Matrix projectOut;
    private final float[] finalNorm;
    private final float[] finalNormBias;
    private final Layer[] layers;
    private final Matrix classifier;

    CpuOpt(OptConfig config, Matrix embedTokens, Matrix embedPositions, Matrix projectIn, Matrix projectOut,
           float[] finalNorm, float[] finalNormBias, Layer[] layers, Matrix classifier) {
        this.config = config;
        this.embedTokens = embedTokens;
        this.embedPositions = embedPositions;
        this.projectIn = projectIn;
        this.projectOut = projectOut;
        this.finalNorm = finalNorm;
        this.finalNormBias = finalNormBias;
        this.layers = layers;
        this.classifier = classifier;
        int dim = config.hiddenSize(), heads = config.numAttentionHeads();
        this.dims = new ModelDims(dim, dim, dim, config.ffnDim(), config.vocabSize(), config.wordEmbedProjDim(),
                layers.length, heads, heads, dim / heads, config.maxPositionEmbeddings());
    }

    @Override
    public void forward(Step s) {
        int n = s.size, dim = dims.dim();
        embed(s);
        boolean before = config.doLayerNormBefore();
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            // attention block
            float[] h = normalized(s, layer.attentionNorm(), layer.attentionNormBias(), before);
            s.matmul.run(h, n, layer.q(), s.q, layer.k(), s.k, layer.v(), s.v);
            Norms.addBias(s.q, layer.qBias(), n);
            Norms.addBias(s.k, layer.kBias(), n);
            Norms.addBias(s.v, layer.vBias(), n);
            s.storeKeysAndValues(l);
            s.attention.run(s, l);
            s.matmul.run(s.att, n, layer.out(), s.xb2);
            Norms.addBias(s.xb2, layer.outBias(), n);
            VectorMath.add(s.xb2, 0, s.x, 0, n * dim);
            if (!before) {
                Norms.layer(s.x, s.x, layer.attentionNorm(), layer.attentionNormBias(), n, dim, EPS);
            }
            // feed-forward block
            h = normalized(s, layer.ffnNorm(), layer.ffnNormBias(), before);
            s.matmul.run(h, n, layer.fc1(), s.hb);
            Norms.addBias(s.hb, layer.fc1Bias(), n);
            if (config.activationFunction().equals("relu")) {
                Norms.relu(s.hb, n * dims.hidden());
            } else {
                Norms.gelu(s.hb, n * dims.hidden());
            }
            s.matmul.run(s.hb, n, layer.fc2(), s.xb2);
            Norms.addBias(s.xb2, layer.fc2Bias(), n);
            VectorMath.add(s.xb2, 0, s.x, 0, n * dim);
            if (!before) {
                Norms.layer(s.x, s.x, layer.ffnNorm(), layer.ffnNormBias(), n, dim, EPS);
            }
        }
        finalHidden(s);
    }

    /** x = project_in(embed_tokens[token]) + embed_positions[position + 2]. */
    private void embed(Step s) {
        int n = s.size, dim = dims.dim(), width = embedTokens.cols;
        float[] tokens = projectIn == null ? s.x : s.xb;
        for (int t = 0; t < n; t++) {
            embedTokens.dequantizeRow(s.tokens[t], tokens, t * width);
        }
        if (projectIn != null) {
            s.matmul.run(s.xb, n, projectIn, s.x);
        }
        for (int t = 0; t < n; t++) {
            embedPositions.dequantizeRow(s.positions[t] + POSITION_OFFSET, s.xb2, t * dim);
        }
        VectorMath.add(s.xb2, 0, s.x, 0, n * dim);
    }

    /** LayerNorm of x into xb when normalizing before the block, else x itself. */
    private float[] normalized(Step s, float[] weight, float[] bias, boolean before) {
        if (!before) {
            return s.x;
        }
        Norms.layer(s.x, s.xb, weight, bias, s.size, dims.dim(), EPS);
        return s.xb;
    }

    /** hidden = project_out(final_layer_norm(x)) of the output slots, each step present only if the checkpoint has it. */
    private void finalHidden(Step s) {
        int dim = dims.dim();
        float[] gathered = projectOut == null ? s.hidden : s.xb2;
        for (int i = 0; i < s.outputs; i++) {
            int from = s.outputSlots[i] * dim;
            if (finalNorm != null) {
                Norms.layer(s.x, from, gathered, i * dim, finalNorm, finalNormBias, dim, EPS);
            } else {
                System.arraycopy(s.x, from, gathered, i * dim, dim);
            }
        }
        if (projectOut != null) {
            s.matmul.run(s.xb2, s.outputs, projectOut, s.hidden);
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
        long bytes = classifier.bytes() + (projectIn == null ? 0 : projectIn.bytes()) + (projectOut == null ? 0 : projectOut.bytes());
        for (Layer l : layers) {
            bytes += l.q().bytes() + l.k().bytes() + l.v().bytes() + l.out().bytes() + l.fc1().bytes() + l.fc2().bytes();
        }
        return bytes;
    }

    @Override
    public String formats() {
        return Formats.of(embedTokens, layers[0].q(), layers[0].fc2());
    }
}
