package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;
import static org.instruct4j.model.cpu.VectorMath.LANES;

import jdk.incubator.vector.FloatVector;

/** The elementwise steps between matrix products: normalizations, biases, activations. */
final class Norms {
    private Norms() {}

    /** RMSNorm of rows [from, to) of width {@code dim}: {@code out = weight * x / sqrt(mean(x^2) + eps)}. */
    static void rms(float[] x, float[] out, float[] weight, int from, int to, int dim, float eps) {
        for (int t = from; t < to; t++) {
            rms(x, t * dim, out, t * dim, weight, dim, eps);
        }
    }

    static void rms(float[] x, int xOffset, float[] out, int outOffset, float[] weight, int dim, float eps) {
        float meanSquare = VectorMath.dot(x, xOffset, x, xOffset, dim) / dim;
        float inverse = (float) (1 / Math.sqrt(meanSquare + eps));
        int i = 0;
        for (int bound = F.loopBound(dim); i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xOffset + i).mul(inverse).mul(FloatVector.fromArray(F, weight, i))
                    .intoArray(out, outOffset + i);
        }
        for (; i < dim; i++) {
            out[outOffset + i] = x[xOffset + i] * inverse * weight[i];
        }
    }

    /**
     * LayerNorm of each of {@code n} rows (biased variance, as torch): {@code out = (x - mean) / sqrt(var + eps) * weight
     * + bias}.
     */
    static void layer(float[] x, float[] out, float[] weight, float[] bias, int n, int dim, float eps) {
        for (int t = 0; t < n; t++) {
            layer(x, t * dim, out, t * dim, weight, bias, dim, eps);
        }
    }

    static void layer(float[] x, int xOffset, float[] out, int outOffset, float[] weight, float[] bias, int dim, float eps) {
        float mean = 0;
        for (int i = 0; i < dim; i++) {
            mean += x[xOffset + i];
        }
        mean /= dim;
        float variance = 0;
        for (int i = 0; i < dim; i++) {
            float d = x[xOffset + i] - mean;
            variance += d * d;
        }
        float inverse = (float) (1 / Math.sqrt(variance / dim + eps));
        for (int i = 0; i < dim; i++) {
            out[outOffset + i] = (x[xOffset + i] - mean) * inverse * weight[i] + bias[i];
        }
    }

    /** Adds {@code bias} to each of the first {@code n} rows of {@code x} (nothing when it is null). */
    static void addBias(float[] x, float[] bias, int n) {
        addBias(x, bias, 0, n);
    }

    /** Adds {@code bias} to rows [from, to) of {@code x} (nothing when it is null). */
    static void addBias(float[] x, float[] bias, int from, int to) {
        if (bias == null) {
            return;
        }
        for (int t = from; t < to; t++) {
            VectorMath.add(bias, 0, x, t * bias.length, bias.length);
        }
    }

    /** {@code gate[i] = silu(gate[i]) * up[i]}, silu(g) = g / (1 + exp(-g)), row by row of {@code width}. */
    static void swiglu(float[] gate, float[] up, int from, int to, int width) {
        int bound = F.loopBound(width);
        for (int t = from; t < to; t++) {
            int offset = t * width, i = 0;
            for (; i < bound; i += LANES) {
                FloatVector g = FloatVector.fromArray(F, gate, offset + i);
                FloatVector sigmoid = VectorMath.exp(g.neg()).add(1f);
                g.div(sigmoid).mul(FloatVector.fromArray(F, up, offset + i)).intoArray(gate, offset + i);
            }
            for (; i < width; i++) {
                float g = gate[offset + i];
                gate[offset + i] = g / (VectorMath.exp(-g) + 1f) * up[offset + i];
            }
        }
    }

    static void relu(float[] x, int count) {
        for (int i = 0; i < count; i++) {
            x[i] = Math.max(x[i], 0f);
        }
    }

    /** GELU with the exact error function, as torch.nn.functional.gelu. */
    static void gelu(float[] x, int count) {
        for (int i = 0; i < count; i++) {
            x[i] = (float) (0.5 * x[i] * (1 + erf(x[i] / Math.sqrt(2))));
        }
    }

    /** The error function, from Numerical Recipes' Chebyshev fit of erfc (fractional error below 1.2e-7). */
    static double erf(double z) {
        double t = 1 / (1 + 0.5 * Math.abs(z));
        double y = 1 - t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? y : -y;
    }
}
