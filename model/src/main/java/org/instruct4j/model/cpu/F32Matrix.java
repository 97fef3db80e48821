package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;
import static org.instruct4j.model.cpu.VectorMath.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Little-endian float32 weights, as llama2.c and most safetensors checkpoints store them. Rows are read in place from
 * the stored bytes (embedding lookups); the products read a copy packed in row panels, as GEMM libraries pack their
 * operands: {@value #PANEL_VECTORS} vectors of rows side by side, column after column ({@code panel[c][i]} is row
 * {@code i} of the panel at column {@code c}). A product then reads its weights as one sequential stream, and each
 * weight vector multiplies a broadcast input value into an accumulator of {@code LANES} outputs: no sum across lanes,
 * no columns left over. Every output is the multiply-adds {@code acc = fma(w[c], x[c], acc)} for c = 0, 1, ... in
 * order, from 0: the same bits for one input and for many, whichever rows a thread takes. Measured against rows read as
 * stored (BENCHMARKS.md, model): about 1.9x the memory throughput for one input and 2x the multiply-adds for many.
 * The packed copy is made at the first product (each thread packs the panels of its rows), so opening a model stays a
 * mapping; it lives on the Java heap, so float32 models of several GB need a heap to match ({@code -Xmx}).
 */
final class F32Matrix extends Matrix {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Vectors of rows per panel: two independent chains of multiply-adds per input. */
    static final int PANEL_VECTORS = 2;
    /** Rows per panel. */
    static final int PANEL = PANEL_VECTORS * LANES;
    /** Inputs per register tile of the batched product: 2 x 8 accumulators of AVX-512's 32 registers, 2 x 4 of AVX2's 16. */
    private static final int TILE_INPUTS = LANES >= 16 ? 8 : 4;

    /** Weights as stored (usually a slice of a memory-mapped checkpoint). */
    final MemorySegment data;
    /** The packed panels from {@link Alignment#FLOAT_START} (each panel starts a cache line), once allocated. */
    private volatile Packed packed;

    F32Matrix(int rows, int cols, MemorySegment data) {
        super(rows, cols);
        this.data = checked(data);
    }

    @Override
    String format() {
        return "F32";
    }

    @Override
    long bytes(int rows, int cols) {
        return (long) rows * cols * Float.BYTES;
    }

    @Override
    int rowStep() {
        return PANEL;
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        MemorySegment.copy(data, FLOAT, (long) row * cols * Float.BYTES, out, offset, cols);
    }

    /** One bulk copy: the rows are consecutive in memory. */
    @Override
    void dequantizeRows(int from, int to, float[] out, int offset) {
        MemorySegment.copy(data, FLOAT, (long) from * cols * Float.BYTES, out, offset, (to - from) * cols);
    }

    @Override
    void multiply(float[] x, int xOffset, int xStride, int n, float[] out, int outOffset, int outStride, int from,
                  int to, float[] scratch) {
        Packed packed = packed();
        float[] w = packed.panels();
        for (int first = from - from % PANEL; first < to; first += PANEL) {
            ensurePacked(packed, first);
            int base = Alignment.FLOAT_START + first * cols; // the panel of rows [first, first + PANEL)
            int lo = Math.max(from, first) - first, hi = Math.min(to, first + PANEL) - first;
            if (lo > 0 || hi < PANEL) { // a panel partly outside [from, to) or the matrix: masked stores, input by input
                for (int t = 0; t < n; t++) {
                    panelTimesOne(w, base, x, xOffset + t * xStride, out, outOffset + t * outStride + first, lo, hi);
                }
            } else {
                if (n > TILE_INPUTS && scratch != null) {
                    // the panel read once before the tiles multiply it with several groups of inputs: loads alone run
                    // with many misses in flight, where the first tile, busy multiplying, leaves memory waiting
                    // (measured: 7 % more multiply-adds per second from memory at one thread)
                    scratch[0] = VectorMath.touch(w, base, PANEL * cols); // kept, or the loads would be compiled away
                }
                panelTimesAll(w, base, x, xOffset, xStride, n, out, outOffset + first, outStride);
            }
        }
    }

    /**
     * A whole panel times the n inputs: tiles of {@link #TILE_INPUTS}, then of four, then the last one to three inputs
     * (a lone input by the one-input kernel; two or three by the four-input tile with slots repeated, which costs no
     * more time than one input does, as the multiply-adds' latency, not their number, bounds both).
     */
    private void panelTimesAll(float[] w, int base, float[] x, int xOffset, int xStride, int n, float[] out, int outAt,
                               int outStride) {
        int t = 0;
        if (TILE_INPUTS == 8) {
            for (; t + 8 <= n; t += 8) {
                panelTimesEight(w, base, x, xOffset + t * xStride, xStride, out, outAt + t * outStride, outStride);
            }
        }
        while (t < n) {
            int count = Math.min(4, n - t);
            if (count == 1) {
                panelTimesOne(w, base, x, xOffset + t * xStride, out, outAt + t * outStride, 0, PANEL);
            } else {
                panelTimesFour(w, base, x, xOffset + t * xStride, xStride, out, outAt + t * outStride, outStride, count);
            }
            t += count;
        }
    }

    /** The packed panels' array, allocated by the first caller; each panel is filled by the first thread to use it. */
    private Packed packed() {
        Packed current = packed;
        if (current == null) {
            synchronized (this) {
                current = packed;
                if (current == null) {
                    int count = (rows + PANEL - 1) / PANEL;
                    packed = current = new Packed(allocate(Alignment.FLOAT_START + Math.multiplyExact(count * PANEL, cols)),
                            new byte[count]);
                }
            }
        }
        return current;
    }

    /** A float array of {@code floats}, or an error that says what to do when the heap cannot hold it. */
    private float[] allocate(int floats) {
        try {
            return new float[floats];
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the CPU engine multiplies float32 weights from a"
                    + " copy on the Java heap, and a %d x %d matrix (%.1f MB) does not fit in this JVM's (at most %.0f MB):"
                    + " give it more (INSTRUCT4J_JAVA_OPTS=-Xmx...), or load the model with --dtype bf16 (multiplied in"
                    + " place) or --quantize q8_0 (a quarter of the bytes)", rows, cols, floats * 4e-6, Runtime.getRuntime().maxMemory() / 1e6), e);
        }
    }

    /**
     * The panels and which of them are filled. A product's threads fill the panels of their own rows the first time
     * (so the first token packs in parallel); a panel's flag is set after its floats (release) and read before them
     * (acquire). Two callers that fill the same panel at once write the same values.
     */
    private record Packed(float[] panels, byte[] ready) {
        private static final VarHandle READY = MethodHandles.arrayElementVarHandle(byte[].class);
    }

    /** Fills the panel of rows [first, first + PANEL) (rows past the matrix stay zeros) unless it is already. */
    private void ensurePacked(Packed packed, int first) {
        int panel = first / PANEL;
        if ((byte) Packed.READY.getAcquire(packed.ready(), panel) != 0) {
            return;
        }
        int last = Math.min(rows, first + PANEL);
        float[] block = new float[(last - first) * cols];
        dequantizeRows(first, last, block, 0);
        float[] w = packed.panels();
        int base = Alignment.FLOAT_START + first * cols;
        for (int i = 0; i < last - first; i++) {
            for (int c = 0, at = base + i; c < cols; c++, at += PANEL) {
                w[at] = block[i * cols + c];
            }
        }
        Packed.READY.setRelease(packed.ready(), panel, (byte) 1);
    }

    /**
     * The panel at {@code w[base]} times one input, into {@code out[outAt + i]} for its rows i in [lo, hi): one input
     * vector (decoding one token), or what is left of a batch.
     */
    private void panelTimesOne(float[] w, int base, float[] x, int xOffset, float[] out, int outAt, int lo, int hi) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int c = 0, at = base; c < cols; c++, at += PANEL) {
            FloatVector v = FloatVector.broadcast(F, x[xOffset + c]);
            a0 = FloatVector.fromArray(F, w, at).fma(v, a0);
            a1 = FloatVector.fromArray(F, w, at + LANES).fma(v, a1);
        }
        if (lo == 0 && hi == PANEL) {
            a0.intoArray(out, outAt);
            a1.intoArray(out, outAt + LANES);
        } else {
            store(a0, out, outAt, lo, hi);
            store(a1, out, outAt + LANES, lo - LANES, hi - LANES);
        }
    }

    /** Lanes i of {@code v} with lo <= i < hi (either may lie past the vector's ends) into {@code out[at + i]}. */
    private static void store(FloatVector v, float[] out, int at, int lo, int hi) {
        VectorMask<Float> inside = F.indexInRange(-lo, hi - lo);
        if (inside.anyTrue()) {
            v.intoArray(out, at, inside);
        }
    }

    /**
     * The panel at {@code w[base]} times inputs {@code x[xOffset + u xStride, + cols)} for u < count (at most four):
     * slots past the count repeat the last input and write its outputs again, with the same bits.
     */
    private void panelTimesFour(float[] w, int base, float[] x, int xOffset, int xStride, float[] out, int outAt,
                                int outStride, int count) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        int u1 = Math.min(1, count - 1), u2 = Math.min(2, count - 1), u3 = Math.min(3, count - 1);
        int x1 = xOffset + u1 * xStride, x2 = xOffset + u2 * xStride, x3 = xOffset + u3 * xStride;
        for (int c = 0, at = base; c < cols; c++, at += PANEL) {
            FloatVector w0 = FloatVector.fromArray(F, w, at), w1 = FloatVector.fromArray(F, w, at + LANES);
            FloatVector v = FloatVector.broadcast(F, x[xOffset + c]);
            a00 = w0.fma(v, a00);
            a10 = w1.fma(v, a10);
            v = FloatVector.broadcast(F, x[x1 + c]);
            a01 = w0.fma(v, a01);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(F, x[x2 + c]);
            a02 = w0.fma(v, a02);
            a12 = w1.fma(v, a12);
            v = FloatVector.broadcast(F, x[x3 + c]);
            a03 = w0.fma(v, a03);
            a13 = w1.fma(v, a13);
        }
        a00.intoArray(out, outAt);
        a10.intoArray(out, outAt + LANES);
        a01.intoArray(out, outAt + u1 * outStride);
        a11.intoArray(out, outAt + u1 * outStride + LANES);
        a02.intoArray(out, outAt + u2 * outStride);
        a12.intoArray(out, outAt + u2 * outStride + LANES);
        a03.intoArray(out, outAt + u3 * outStride);
        a13.intoArray(out, outAt + u3 * outStride + LANES);
    }

    /** As {@link #panelTimesFour} for eight inputs: 16 accumulators, two weight vectors and a broadcast input. */
    private void panelTimesEight(float[] w, int base, float[] x, int xOffset, int xStride, float[] out, int outAt,
                                 int outStride) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a04 = z, a05 = z, a06 = z, a07 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z, a14 = z, a15 = z, a16 = z, a17 = z;
        int x1 = xOffset + xStride, x2 = x1 + xStride, x3 = x2 + xStride, x4 = x3 + xStride, x5 = x4 + xStride;
        int x6 = x5 + xStride, x7 = x6 + xStride;
        for (int c = 0, at = base; c < cols; c++, at += PANEL) {
            FloatVector w0 = FloatVector.fromArray(F, w, at), w1 = FloatVector.fromArray(F, w, at + LANES);
            FloatVector v = FloatVector.broadcast(F, x[xOffset + c]);
            a00 = w0.fma(v, a00);
            a10 = w1.fma(v, a10);
            v = FloatVector.broadcast(F, x[x1 + c]);
            a01 = w0.fma(v, a01);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(F, x[x2 + c]);
            a02 = w0.fma(v, a02);
            a12 = w1.fma(v, a12);
            v = FloatVector.broadcast(F, x[x3 + c]);
            a03 = w0.fma(v, a03);
            a13 = w1.fma(v, a13);
            v = FloatVector.broadcast(F, x[x4 + c]);
            a04 = w0.fma(v, a04);
            a14 = w1.fma(v, a14);
            v = FloatVector.broadcast(F, x[x5 + c]);
            a05 = w0.fma(v, a05);
            a15 = w1.fma(v, a15);
            v = FloatVector.broadcast(F, x[x6 + c]);
            a06 = w0.fma(v, a06);
            a16 = w1.fma(v, a16);
            v = FloatVector.broadcast(F, x[x7 + c]);
            a07 = w0.fma(v, a07);
            a17 = w1.fma(v, a17);
        }
        a00.intoArray(out, outAt);
        a10.intoArray(out, outAt + LANES);
        a01.intoArray(out, outAt + outStride);
        a11.intoArray(out, outAt + outStride + LANES);
        a02.intoArray(out, outAt + 2 * outStride);
        a12.intoArray(out, outAt + 2 * outStride + LANES);
        a03.intoArray(out, outAt + 3 * outStride);
        a13.intoArray(out, outAt + 3 * outStride + LANES);
        a04.intoArray(out, outAt + 4 * outStride);
        a14.intoArray(out, outAt + 4 * outStride + LANES);
        a05.intoArray(out, outAt + 5 * outStride);
        a15.intoArray(out, outAt + 5 * outStride + LANES);
        a06.intoArray(out, outAt + 6 * outStride);
        a16.intoArray(out, outAt + 6 * outStride + LANES);
        a07.intoArray(out, outAt + 7 * outStride);
        a17.intoArray(out, outAt + 7 * outStride + LANES);
    }
}
