package org.instruct4j.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise and reduction loops over float arrays on the Vector API, in the machine's widest species (512 bits
 * with AVX-512, 256 with AVX2), chosen when the JVM starts; {@code -Dinstruct4j.vectorBits=256|128} narrows it.
 * Sums add lanes in a fixed order, so a result does not depend on which rows share a pass.
 */
public final class VectorMath {
    /** The float species every kernel uses. */
    public static final VectorSpecies<Float> F = species();
    /** Floats per vector. */
    public static final int LANES = F.length();

    private VectorMath() {}

    private static VectorSpecies<Float> species() {
        int bits = Integer.getInteger("instruct4j.vectorBits", FloatVector.SPECIES_PREFERRED.vectorBitSize());
        return switch (Math.min(bits, FloatVector.SPECIES_PREFERRED.vectorBitSize())) {
            case 512 -> FloatVector.SPECIES_512;
            case 256 -> FloatVector.SPECIES_256;
            case 128 -> FloatVector.SPECIES_128;
            default -> throw new IllegalArgumentException("instruct4j.vectorBits must be 128, 256 or 512, got " + bits);
        };
    }

    /** The lanes of {@code v} summed: halves added lanewise down to 4 lanes, then those in order. */
    public static float sum(FloatVector v) {
        FloatVector w = v;
        while (w.length() > 4) {
            VectorSpecies<Float> half = FloatVector.SPECIES_128.length() == w.length() / 2 ? FloatVector.SPECIES_128
                    : FloatVector.SPECIES_256;
            w = ((FloatVector) w.reinterpretShape(half, 0)).add((FloatVector) w.reinterpretShape(half, 1));
        }
        return w.reduceLanes(VectorOperators.ADD);
    }

    /** The dot product of {@code a[aOffset, aOffset + n)} and {@code b[bOffset, bOffset + n)}. */
    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            acc = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc);
        }
        float result = sum(acc);
        for (; i < n; i++) {
            result += a[aOffset + i] * b[bOffset + i];
        }
        return result;
    }

    /** {@code y[yOffset + i] += a * x[xOffset + i]} for i in [0, n). */
    public static void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        int i = 0;
        FloatVector scale = FloatVector.broadcast(F, a);
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xOffset + i).fma(scale, FloatVector.fromArray(F, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (; i < n; i++) {
            y[yOffset + i] += a * x[xOffset + i];
        }
    }

    /** {@code y[yOffset + i] += x[xOffset + i]} for i in [0, n). */
    public static void add(float[] x, int xOffset, float[] y, int yOffset, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xOffset + i).add(FloatVector.fromArray(F, y, yOffset + i)).intoArray(y, yOffset + i);
        }
        for (; i < n; i++) {
            y[yOffset + i] += x[xOffset + i];
        }
    }

    /** The largest of {@code a[offset, offset + n)}. */
    public static float max(float[] a, int offset, int n) {
        int i = 0;
        float result = Float.NEGATIVE_INFINITY;
        if (n >= LANES) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int bound = F.loopBound(n); i < bound; i += LANES) {
                m = m.max(FloatVector.fromArray(F, a, offset + i));
            }
            result = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            result = Math.max(result, a[offset + i]);
        }
        return result;
    }

    /** Replaces {@code a[offset, offset + n)} by {@code exp((a - shift) * scale)} and returns their sum. */
    public static float expInPlace(float[] a, int offset, int n, float shift, float scale) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        FloatVector s = FloatVector.broadcast(F, shift);
        FloatVector k = FloatVector.broadcast(F, scale);
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector e = FloatVector.fromArray(F, a, offset + i).sub(s).mul(k).lanewise(VectorOperators.EXP);
            e.intoArray(a, offset + i);
            acc = acc.add(e);
        }
        float total = sum(acc);
        for (; i < n; i++) {
            float e = (float) Math.exp((a[offset + i] - shift) * scale);
            a[offset + i] = e;
            total += e;
        }
        return total;
    }

    /** Softmax of {@code a[offset, offset + n)} in place. */
    public static void softmax(float[] a, int offset, int n) {
        float total = expInPlace(a, offset, n, max(a, offset, n), 1f);
        scale(a, offset, n, 1f / total);
    }

    /** {@code a[offset + i] *= factor} for i in [0, n). */
    public static void scale(float[] a, int offset, int n, float factor) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(F, a, offset + i).mul(factor).intoArray(a, offset + i);
        }
        for (; i < n; i++) {
            a[offset + i] *= factor;
        }
    }
}
