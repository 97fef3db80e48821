package org.instruct4j.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise and reduction loops over float arrays on the Vector API, in the machine's widest species (512 bits
 * with AVX-512, 256 with AVX2), chosen when the JVM starts; {@code -Dinstruct4j.vectorBits=256|128} narrows it.
 *
 * <p>Results are deterministic: the same inputs give the same bits whether a loop runs interpreted or compiled by
 * C2, so a row's logits do not depend on which rows share a pass or on how far the JIT has got. The Vector API's
 * own lane sum and exp do not promise that (the compiled sum may add lanes in another order than the interpreted
 * one, and the compiled exp is SVML's), so here a sum is a fixed tree of lanewise adds and exp a polynomial of
 * lanewise operations, each exactly rounded.
 */
public final class VectorMath {
    /** The float species every kernel uses. */
    public static final VectorSpecies<Float> F = species();
    /** Floats per vector. */
    public static final int LANES = F.length();
    /**
     * Rotations by 8, 4, 2 and 1 lanes, the steps of the summing tree (those of at least the vector's length unused):
     * constants, which C2 folds (an array element it does not).
     */
    private static final VectorShuffle<Float> BY_8 = rotation(8), BY_4 = rotation(4), BY_2 = rotation(2);
    private static final VectorShuffle<Float> BY_1 = rotation(1);

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** Below this exp is 0 (and -infinity, a masked logit, gives exactly 0); above the other bound it overflows. */
    private static final float EXP_LOW = -87.33654f;
    private static final float EXP_HIGH = 88.72283f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float to the nearest integer. */
    private static final float ROUNDER = 12582912f;

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

    /** Rotation by {@code by} lanes. */
    private static VectorShuffle<Float> rotation(int by) {
        return VectorShuffle.fromOp(F, lane -> (lane + by) % F.length());
    }

    /** The lanes of {@code v} summed by a fixed tree of lanewise adds. */
    public static float sum(FloatVector v) {
        FloatVector s = v;
        if (LANES >= 16) {
            s = s.add(s.rearrange(BY_8));
        }
        if (LANES >= 8) {
            s = s.add(s.rearrange(BY_4));
        }
        s = s.add(s.rearrange(BY_2)); // at least 4 lanes: 128-bit vectors
        return s.add(s.rearrange(BY_1)).lane(0);
    }

    /**
     * e^x lane by lane: x = n ln2 + r (Cody-Waite), e^r by Cephes' expf polynomial (about 1 ulp), times 2^n;
     * 0 below -87.3 (so -infinity gives 0), +infinity above 88.7.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(EXP_LOW).min(EXP_HIGH);
        FloatVector n = clamped.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HIGH), clamped);
        r = n.fma(FloatVector.broadcast(F, -LN2_LOW), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector y = p.mul(r).fma(r, r).add(1f);
        IntVector exponent = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector result = y.mul(exponent.reinterpretAsFloats());
        VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_LOW);
        VectorMask<Float> over = x.compare(VectorOperators.GT, EXP_HIGH);
        return result.blend(0f, under).blend(Float.POSITIVE_INFINITY, over);
    }

    /** The same function one float at a time (the same operations, so the same bits as a vector lane). */
    public static float exp(float x) {
        if (x < EXP_LOW) {
            return 0f;
        }
        if (x > EXP_HIGH) {
            return Float.POSITIVE_INFINITY;
        }
        float n = x * LOG2E + ROUNDER - ROUNDER;
        float r = Math.fma(n, -LN2_HIGH, x);
        r = Math.fma(n, -LN2_LOW, r);
        float p = Math.fma(r, 1.9875691500e-4f, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float y = Math.fma(p * r, r, r) + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
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

    /**
     * The first index in [0, n) of the largest of {@code a[0, n)}, exactly as a loop keeping the first strict
     * maximum ({@code a[i] > best}) picks it: ties go to the first, -0 and +0 are equal, a NaN never wins (and a NaN at
     * index 0 wins everything, as it does there: nothing is greater than it). One vector pass for the largest value,
     * then one for its first position.
     */
    public static int argmax(float[] a, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("argmax of no values");
        }
        float first = a[0];
        if (first != first) {
            return 0;
        }
        float best = first;
        int i = 0;
        if (n >= LANES) {
            FloatVector m = FloatVector.broadcast(F, first);
            for (int bound = F.loopBound(n); i < bound; i += LANES) {
                FloatVector v = FloatVector.fromArray(F, a, i);
                m = m.blend(v, v.compare(VectorOperators.GT, m)); // a NaN compares false: never taken
            }
            best = m.reduceLanes(VectorOperators.MAX); // no NaN left; the largest value whatever the order
        }
        for (; i < n; i++) {
            if (a[i] > best) {
                best = a[i];
            }
        }
        i = 0;
        if (n >= LANES) {
            FloatVector target = FloatVector.broadcast(F, best);
            for (int bound = F.loopBound(n); i < bound; i += LANES) {
                VectorMask<Float> hit = FloatVector.fromArray(F, a, i).compare(VectorOperators.EQ, target);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
        }
        for (; i < n; i++) {
            if (a[i] == best) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable: the largest value was found above");
    }

    /** Replaces {@code a[offset, offset + n)} by {@code exp((a - shift) * scale)} and returns their sum. */
    public static float expInPlace(float[] a, int offset, int n, float shift, float scale) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        FloatVector s = FloatVector.broadcast(F, shift);
        FloatVector k = FloatVector.broadcast(F, scale);
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector e = exp(FloatVector.fromArray(F, a, offset + i).sub(s).mul(k));
            e.intoArray(a, offset + i);
            acc = acc.add(e);
        }
        float total = sum(acc);
        for (; i < n; i++) {
            float e = exp((a[offset + i] - shift) * scale);
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

    /**
     * Reads one float of every cache line of {@code a[from, from + count)}, count > 0, and returns their sum: a loop of
     * loads alone, which the core runs with many cache misses in flight, to bring data into the cache before a kernel
     * whose loads wait behind its arithmetic needs it (the Java platform has no prefetch instruction).
     */
    public static float touch(float[] a, int from, int count) {
        float sum = a[from + count - 1];
        for (int i = from, end = from + count; i < end; i += 16) {
            sum += a[i];
        }
        return sum;
    }
}
