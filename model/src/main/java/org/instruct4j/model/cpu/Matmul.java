package org.instruct4j.model.cpu;

/**
 * Products of up to three matrices with the same inputs (q, k and v of a layer; gate and up), shared by the thread
 * team as units of consecutive rows (a multiple of four), about four units per thread so a late thread costs little.
 * Small products run on the calling thread alone, where a hand-off would cost more than it saves.
 */
final class Matmul implements ThreadTeam.Task {
    /** Multiply-adds below which one thread does the work: a few microseconds of it. */
    static final long PARALLEL_WORK = 1 << 15;
    private static final int UNITS_PER_THREAD = 4;
    private static final int MIN_UNIT_ROWS = 16;

    private final ThreadTeam team;
    private final int maxCols;
    private final Matrix[] matrices = new Matrix[3];
    private final float[][] outputs = new float[3][];
    private int count;
    private float[] input;
    private int inputOffset;
    private int n;
    /** Per unit: its matrix and rows; and a row of scratch for the unit's thread. */
    private final int[] unitMatrix;
    private final int[] unitFrom;
    private final int[] unitTo;
    private final float[][] scratch;

    Matmul(ThreadTeam team, int maxCols) {
        this.team = team;
        this.maxCols = maxCols;
        int maxUnits = 3 * (team.size() * UNITS_PER_THREAD + 1);
        this.unitMatrix = new int[maxUnits];
        this.unitFrom = new int[maxUnits];
        this.unitTo = new int[maxUnits];
        this.scratch = new float[maxUnits][];
    }

    /** {@code out[t * rows + r] = a row r . in[t * cols, + cols)} for the {@code n} inputs. */
    void run(float[] in, int n, Matrix a, float[] out) {
        run(in, n, a, out, null, null, null, null);
    }

    /** As above with the inputs starting at {@code in[inOffset]}. */
    void run(float[] in, int inOffset, int n, Matrix a, float[] out) {
        this.inputOffset = inOffset;
        run(in, n, a, out, null, null, null, null);
        this.inputOffset = 0;
    }

    void run(float[] in, int n, Matrix a, float[] outA, Matrix b, float[] outB) {
        run(in, n, a, outA, b, outB, null, null);
    }

    void run(float[] in, int n, Matrix a, float[] outA, Matrix b, float[] outB, Matrix c, float[] outC) {
        this.input = in;
        this.n = n;
        count = 0;
        long work = (add(a, outA) + add(b, outB) + add(c, outC)) * n;
        boolean parallel = work >= PARALLEL_WORK && team.size() > 1;
        int totalRows = 0;
        for (int i = 0; i < count; i++) {
            totalRows += matrices[i].rows;
        }
        int unitRows = parallel ? Math.max(MIN_UNIT_ROWS, (totalRows / (team.size() * UNITS_PER_THREAD) + 3) & ~3)
                : Integer.MAX_VALUE;
        int units = 0;
        for (int i = 0; i < count; i++) {
            for (int from = 0; from < matrices[i].rows; from += unitRows) {
                unitMatrix[units] = i;
                unitFrom[units] = from;
                unitTo[units++] = (int) Math.min(matrices[i].rows, (long) from + unitRows);
            }
        }
        team.run(this, units, parallel);
        this.input = null;
        outputs[0] = outputs[1] = outputs[2] = null;
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
        if (n > 1 && scratch[index] == null) {
            scratch[index] = new float[Matrix.scratchFloats(maxCols)];
        }
        m.multiply(input, inputOffset, m.cols, n, outputs[unitMatrix[index]], 0, m.rows, unitFrom[index], unitTo[index],
                scratch[index]);
    }
}
