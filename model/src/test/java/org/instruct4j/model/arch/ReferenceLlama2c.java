package org.instruct4j.model.arch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * An independent Llama forward pass in plain Java loops, a line-by-line port of llama2.c's run.c
 * (interleaved RoPE on Meta's weight layout, one token at a time with its own KV cache). It also writes its
 * random weights as a llama2.c checkpoint, so the libtorch model can be checked against it.
 */
final class ReferenceLlama2c {
    final int dim, hidden, layers, heads, kvHeads, vocab, seqLen;
    final boolean shared;
    final float[] tokenEmbedding, rmsAtt, wq, wk, wv, wo, rmsFfn, w1, w2, w3, rmsFinal, wcls;
    private final float[] keyCache, valueCache;

    ReferenceLlama2c(int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen, boolean shared, long seed) {
        this.dim = dim;
        this.hidden = hidden;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.vocab = vocab;
        this.seqLen = seqLen;
        this.shared = shared;
        Random random = new Random(seed);
        int kvDim = dim * kvHeads / heads;
        tokenEmbedding = random(random, vocab * dim, 1.0f);
        rmsAtt = ones(random, layers * dim);
        wq = random(random, layers * dim * dim, 0.3f);
        wk = random(random, layers * kvDim * dim, 0.3f);
        wv = random(random, layers * kvDim * dim, 0.3f);
        wo = random(random, layers * dim * dim, 0.3f);
        rmsFfn = ones(random, layers * dim);
        w1 = random(random, layers * hidden * dim, 0.3f);
        w2 = random(random, layers * dim * hidden, 0.3f);
        w3 = random(random, layers * hidden * dim, 0.3f);
        rmsFinal = ones(random, dim);
        wcls = shared ? tokenEmbedding : random(random, vocab * dim, 0.3f);
        keyCache = new float[layers * seqLen * kvDim];
        valueCache = new float[layers * seqLen * kvDim];
    }

    private static float[] random(Random random, int n, float scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian() * scale;
        }
        return out;
    }

    private static float[] ones(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = 1 + 0.1f * (float) random.nextGaussian();
        }
        return out;
    }

    void write(Path file) throws IOException {
        int headSize = dim / heads;
        float[][] groups = {tokenEmbedding, rmsAtt, wq, wk, wv, wo, rmsFfn, w1, w2, w3, rmsFinal,
                new float[seqLen * headSize / 2], new float[seqLen * headSize / 2]};
        int floats = 0;
        for (float[] g : groups) {
            floats += g.length;
        }
        if (!shared) {
            floats += wcls.length;
        }
        ByteBuffer out = ByteBuffer.allocate(28 + floats * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(dim).putInt(hidden).putInt(layers).putInt(heads).putInt(kvHeads)
                .putInt(shared ? vocab : -vocab).putInt(seqLen);
        for (float[] g : groups) {
            out.asFloatBuffer().put(g);
            out.position(out.position() + g.length * 4);
        }
        if (!shared) {
            out.asFloatBuffer().put(wcls);
        }
        Files.write(file, out.array());
    }

    /** run.c's forward(): the logits for {@code token} at {@code pos}, caching its keys and values. */
    float[] forward(int token, int pos) {
        int kvDim = dim * kvHeads / heads;
        int kvMul = heads / kvHeads;
        int headSize = dim / heads;
        float[] x = new float[dim];
        System.arraycopy(tokenEmbedding, token * dim, x, 0, dim);
        float[] xb = new float[dim], xb2 = new float[dim], hb = new float[hidden], hb2 = new float[hidden];
        float[] q = new float[dim], att = new float[seqLen];
        for (int l = 0; l < layers; l++) {
            rmsnorm(xb, x, rmsAtt, l * dim);
            int loff = l * seqLen * kvDim;
            float[] k = new float[kvDim], v = new float[kvDim];
            matmul(q, xb, wq, l * dim * dim, dim, dim);
            matmul(k, xb, wk, l * kvDim * dim, dim, kvDim);
            matmul(v, xb, wv, l * kvDim * dim, dim, kvDim);
            for (int i = 0; i < dim; i += 2) {
                int headDim = i % headSize;
                float freq = (float) (1.0 / Math.pow(10000.0f, headDim / (float) headSize));
                float val = pos * freq;
                float fcr = (float) Math.cos(val), fci = (float) Math.sin(val);
                int rotn = i < kvDim ? 2 : 1;
                for (int r = 0; r < rotn; r++) {
                    float[] vec = r == 0 ? q : k;
                    float v0 = vec[i], v1 = vec[i + 1];
                    vec[i] = v0 * fcr - v1 * fci;
                    vec[i + 1] = v0 * fci + v1 * fcr;
                }
            }
            System.arraycopy(k, 0, keyCache, loff + pos * kvDim, kvDim);
            System.arraycopy(v, 0, valueCache, loff + pos * kvDim, kvDim);
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t <= pos; t++) {
                    float score = 0;
                    for (int i = 0; i < headSize; i++) {
                        score += q[h * headSize + i] * keyCache[loff + t * kvDim + (h / kvMul) * headSize + i];
                    }
                    att[t] = score / (float) Math.sqrt(headSize);
                }
                softmax(att, pos + 1);
                for (int i = 0; i < headSize; i++) {
                    float sum = 0;
                    for (int t = 0; t <= pos; t++) {
                        sum += att[t] * valueCache[loff + t * kvDim + (h / kvMul) * headSize + i];
                    }
                    xb[h * headSize + i] = sum;
                }
            }
            matmul(xb2, xb, wo, l * dim * dim, dim, dim);
            for (int i = 0; i < dim; i++) {
                x[i] += xb2[i];
            }
            rmsnorm(xb, x, rmsFfn, l * dim);
            matmul(hb, xb, w1, l * dim * hidden, dim, hidden);
            matmul(hb2, xb, w3, l * dim * hidden, dim, hidden);
            for (int i = 0; i < hidden; i++) {
                float val = hb[i];
                val *= (float) (1.0f / (1.0f + Math.exp(-val)));
                hb[i] = val * hb2[i];
            }
            matmul(xb, hb, w2, l * dim * hidden, hidden, dim);
            for (int i = 0; i < dim; i++) {
                x[i] += xb[i];
            }
        }
        rmsnorm(x, x.clone(), rmsFinal, 0);
        float[] logits = new float[vocab];
        matmul(logits, x, wcls, 0, dim, vocab);
        return logits;
    }

    private static void rmsnorm(float[] o, float[] x, float[] weight, int offset) {
        float ss = 0;
        for (float v : x) {
            ss += v * v;
        }
        ss = (float) (1.0f / Math.sqrt(ss / x.length + 1e-5f));
        for (int j = 0; j < x.length; j++) {
            o[j] = weight[offset + j] * (ss * x[j]);
        }
    }

    private static void softmax(float[] x, int size) {
        float max = x[0];
        for (int i = 1; i < size; i++) {
            max = Math.max(max, x[i]);
        }
        float sum = 0;
        for (int i = 0; i < size; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < size; i++) {
            x[i] /= sum;
        }
    }

    /** W (d,n) @ x (n,) -> xout (d,), W starting at {@code offset}. */
    private static void matmul(float[] xout, float[] x, float[] w, int offset, int n, int d) {
        for (int i = 0; i < d; i++) {
            float val = 0;
            for (int j = 0; j < n; j++) {
                val += w[offset + i * n + j] * x[j];
            }
            xout[i] = val;
        }
    }
}
