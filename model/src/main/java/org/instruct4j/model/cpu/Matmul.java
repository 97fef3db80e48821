package org.instruct4j.model.cpu;

import java.util.Arrays;

/**
 * Products of up to three matrices with the same inputs (q, k and v of a layer; gate and up), shared by the thread
 * team as units of consecutive rows (a multiple of the format's {@link Matrix#rowStep}) in guided order, as
 * OpenMP's {@code schedule(guided)}: each unit takes the rows left divided by {@value #GUIDED_SHARE} x the threads (at least {@value #MIN_UNIT_ROWS}), so
 * the first units are long (few claims) and the last ones short, and the threads finish within a short unit of each
 * other (equal units leave one thread waiting up to a whole unit at the end of every product, dozens of times per
 * token). Small products run on the calling thread alone, where a hand-off would cost more than it saves.
 */
final class Matmul implements ThreadTeam.Task {
    /** Multiply-adds below which one thread does the work: a few microseconds of it. */
    static final long PARALLEL_WORK = 1 << 15;
    /** A unit takes the rows left divided by this times the threads. */
    private static final int GUIDED_SHARE = 2;
    private static final int MIN_UNIT_ROWS = 16;

    private final ThreadTeam team;
    private final Matrix[] matrices = new Matrix[3];
    private final float[][] outputs = new float[3][];
    private int count;
    private float[] input;
    private int inputOffset;
    /** The inputs copied so that each starts a cache line (see {@link #stage}). */
    private float[] staged = new float[0];
    private int n;
    /** Per unit: its matrix and rows; and scratch for the batched product, per thread. */
    private int[] unitMatrix = new int[64];
    private int[] unitFrom = new int[64];
    private int[] unitTo = new int[64];
    private final ThreadLocal<float[]> scratch;

    Matmul(ThreadTeam team, int maxCols) {
        this.team = team;
        this.scratch = ThreadLocal.withInitial(() -> new float[Matrix.scratchFloats(maxCols)]);
    }

    /** {@code out[t * rows + r] = a row r . in[t * cols, + cols)} for the {@code n} inputs. */
    void run(float[] in, int n, Matrix a, float[] out) {
        run(in, n, a, out, null, null, null, null);
    }

    /** As above with the inputs starting at {@code in[inOffset]}. */
    void run(float[] in, int inOffset, int n, Matrix a, float[] out) {
        run(in, inOffset, n, a, out, null, null, null, null);
    }

    void run(float[] in, int n, Matrix a, float[] outA, Matrix b, float[] outB) {
        run(in, 0, n, a, outA, b, outB, null, null);
    }

    void run(float[] in, int n, Matrix a, float[] outA, Matrix b, float[] outB, Matrix c, float[] outC) {
        run(in, 0, n, a, outA, b, outB, c, outC);
    }

    private void run(float[] in, int inOffset, int n, Matrix a, float[] outA, Matrix b, float[] outB, Matrix c,
                     float[] outC) {
        stage(in, inOffset, n, a);
        this.n = n;
        count = 0;
        long work = (add(a, outA) + add(b, outB) + add(c, outC)) * n;
        boolean parallel = work >= PARALLEL_WORK && team.size() > 1;
        int rowsLeft = 0;
        for (int i = 0; i < count; i++) {
            rowsLeft += matrices[i].rows;
        }
        int units = 0;
        for (int i = 0; i < count; i++) {
            for (int from = 0, rows = matrices[i].rows; from < rows; units++) {
                int step = matrices[i].rowStep(), share = rowsLeft / (GUIDED_SHARE * team.size());
                int size = parallel ? (Math.max(MIN_UNIT_ROWS, share) + step - 1) / step * step : rows;
                int to = Math.min(rows, from + size);
                addUnit(units, i, from, to);
                rowsLeft -= to - from;
                from = to;
            }
        }
        team.run(this, units, parallel);
        this.input = null;
        outputs[0] = outputs[1] = outputs[2] = null;
    }

    /**
     * The inputs of a batched product of rows as stored ({@link RowMatrix}), copied where each starts a cache line
     * ({@link Alignment}) when they do not already, so that the register tiles' vector loads of them split no line: a
     * copy of n x cols floats, against n x rows x cols multiply-adds that read each input vector once per tile of rows.
     * A single input stays where it is: the batch-1 kernel waits on its weights' memory, and ran no faster with its
     * input aligned (BENCHMARKS.md, model). fp32 panels read their inputs one float at a time: nothing to align.
     */
    private void stage(float[] in, int inOffset, int n, Matrix a) {
        boolean worthIt = n > 1 && a instanceof RowMatrix && Alignment.rowsAligned(a.cols);
        if (!worthIt || inOffset == Alignment.FLOAT_START) {
            input = in;
            inputOffset = inOffset;
            return;
        }
        int floats = n * a.cols;
        if (staged.length < Alignment.FLOAT_START + floats) {
            staged = new float[Alignment.FLOAT_START + floats];
        }
        System.arraycopy(in, inOffset, staged, Alignment.FLOAT_START, floats);
        input = staged;
        inputOffset = Alignment.FLOAT_START;
    }

    private void addUnit(int unit, int matrix, int from, int to) {
        if (unit == unitMatrix.length) {
            unitMatrix = Arrays.copyOf(unitMatrix, 2 * unit);
            unitFrom = Arrays.copyOf(unitFrom, 2 * unit);
            unitTo = Arrays.copyOf(unitTo, 2 * unit);
        }
        unitMatrix[unit] = matrix;
        unitFrom[unit] = from;
        unitTo[unit] = to;
    }

    private long add(Matrix matrix, float[] out) {
        if (matrix == null) {
            return 0;
        }
        matrices[count] = matrix;
        outputs[count++] = out;
        return (long) matrix.rows * matrix.cols;
    }

    @Override
    public void unit(int index) {
        Matrix m = matrices[unitMatrix[index]];
        m.multiply(input, inputOffset, m.cols, n, outputs[unitMatrix[index]], 0, m.rows, unitFrom[index], unitTo[index],
                n > 1 ? scratch.get() : null);
    }
}
