package org.instruct4j.model.cpu;

/**
 * The row-by-row work of a pass between its matrix products (normalizations, biases, rotations, activations, writes
 * to the KV cache), shared with the thread team when the pass has many rows. Every thread wrote its share of each row
 * in the product before, so one thread doing all the rows would wait on the other cores' caches, and the others idle.
 * Each row's work depends on that row alone, so the result is the same however the rows are split.
 */
final class RowSplit implements ThreadTeam.Task {
    /** Work on the rows of a pass: rows [from, to). */
    @FunctionalInterface
    interface Work {
        void rows(int from, int to);
    }

    /** Floats of rows below which one thread does the work (a hand-off costs about a microsecond). */
    static final long PARALLEL_FLOATS = 1 << 12;

    private final ThreadTeam team;
    private Work work;
    private int rows;
    private int units;

    RowSplit(ThreadTeam team) {
        this.team = team;
    }

    /** Runs {@code work} over rows [0, rows) of {@code width} floats each. */
    void run(int rows, int width, Work work) {
        this.work = work;
        this.rows = rows;
        units = (long) rows * width < PARALLEL_FLOATS ? 1 : Math.min(rows, team.size());
        try {
            team.run(this, units, units > 1);
        } finally {
            this.work = null;
        }
    }

    @Override
    public void unit(int unit) {
        work.rows((int) ((long) rows * unit / units), (int) ((long) rows * (unit + 1) / units));
    }
}
