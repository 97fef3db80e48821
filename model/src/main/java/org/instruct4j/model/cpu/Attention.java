package org.instruct4j.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Causal multi-head attention of every slot of a step over its own row's cache, heads split over the thread team:
 * for query head h (sharing key/value head h / group), scores q . k_t / sqrt(headDim) for the positions t the slot
 * sees (all up to its own, or the last {@code window} with a sliding window), softmax, then the weighted sum of the
 * values.
 */
final class Attention implements ThreadTeam.Task {
    /** Multiply-adds below which one thread does the work. */
    private static final long PARALLEL_WORK = 1 << 15;
    private static final int UNITS_PER_THREAD = 4;

    private final ThreadTeam team;
    private final ModelDims dims;
    private final float scale;
    private final int window;
    private float[][] scores;
    private Step step;
    private int layer;
    private int pairs;
    private int units;

    /** {@code window}: the sliding window (Mistral), or 0 for none. */
    Attention(ThreadTeam team, ModelDims dims, int window) {
        this.team = team;
        this.dims = dims;
        this.scale = (float) (1 / Math.sqrt(dims.headDim()));
        this.window = window;
        this.scores = new float[team.size() * UNITS_PER_THREAD][0];
    }

    /** Writes the attention output of every slot of {@code step} (queries in step.q) to step.att, for {@code layer}. */
    void run(Step step, int layer) {
        this.step = step;
        this.layer = layer;
        long work = 0;
        int longest = 0;
        for (int s = 0; s < step.size; s++) {
            int seen = visible(step.positions[s]);
            work += seen;
            longest = Math.max(longest, seen);
        }
        for (int unit = 0; unit < scores.length; unit++) {
            if (scores[unit].length < longest) {
                scores[unit] = new float[Math.max(longest, 2 * scores[unit].length)];
            }
        }
        work *= (long) dims.heads() * dims.headDim();
        pairs = step.size * dims.heads();
        units = work < PARALLEL_WORK ? 1 : Math.min(pairs, scores.length);
        team.run(this, units, units > 1);
        this.step = null;
    }

    /** Positions a query at {@code position} attends to. */
    private int visible(int position) {
        return window > 0 ? Math.min(window, position + 1) : position + 1;
    }

    /** Unit {@code unit} of {@code units}: a range of the (slot, head) pairs. */
    @Override
    public void unit(int unit) {
        int heads = dims.heads();
        int from = (int) ((long) pairs * unit / units), to = (int) ((long) pairs * (unit + 1) / units);
        for (int pair = from; pair < to; pair++) {
            head(pair / heads, pair % heads, scores[unit]);
        }
    }

    private void head(int slot, int head, float[] att) {
        int headDim = dims.headDim();
        int firstRow = head / (dims.heads() / dims.kvHeads()) * headDim;
        int qOffset = slot * dims.qDim() + head * headDim;
        int position = step.positions[slot];
        int first = position + 1 - visible(position);
        int count = position + 1 - first;
        float[][] keys = step.rows[slot].keys[layer];
        float[][] values = step.rows[slot].values[layer];
        for (int t = first; t <= position; ) {
            int block = t >> KvPages.SHIFT, column = t & (KvPages.POSITIONS - 1);
            int length = Math.min(position + 1 - t, KvPages.POSITIONS - column);
            scores(step.q, qOffset, keys[block], firstRow * KvPages.POSITIONS + column, length, att, t - first);
            t += length;
        }
        VectorMath.softmax(att, 0, count);
        weightedSum(att, first, position, values, firstRow, step.att, qOffset);
    }

    /**
     * {@code out[outOffset + d] = sum over t of att[t - first] * value dimension (column + d) at position t} for the
     * head's dimensions d, position t's values at {@code values[t / POSITIONS][(t % POSITIONS) kvDim + column]}:
     * vectors across the dimensions, one multiply-add per position in order (the last vector masked).
     */
    private void weightedSum(float[] att, int first, int position, float[][] values, int column, float[] out,
                             int outOffset) {
        int headDim = dims.headDim(), kvDim = dims.kvDim();
        for (int d = 0; d < headDim; d += VectorMath.LANES) {
            VectorMask<Float> lanes = VectorMath.F.indexInRange(d, headDim);
            FloatVector acc = FloatVector.zero(VectorMath.F);
            for (int t = first; t <= position; t++) {
                float[] v = values[t >> KvPages.SHIFT];
                int at = (t & (KvPages.POSITIONS - 1)) * kvDim + column + d;
                acc = FloatVector.fromArray(VectorMath.F, v, at, lanes)
                        .fma(FloatVector.broadcast(VectorMath.F, att[t - first]), acc);
            }
            acc.intoArray(out, outOffset + d, lanes);
        }
    }

    /**
     * {@code att[to + i] = q . key of position i * scale} for {@code length} consecutive positions of one block,
     * {@code keys[from + d * POSITIONS + i]} holding dimension d of position i: vectors across positions, one
     * multiply-add per dimension in order (the last vector masked).
     */
    private void scores(float[] q, int qOffset, float[] keys, int from, int length, float[] att, int to) {
        int headDim = dims.headDim();
        for (int i = 0; i < length; i += VectorMath.LANES) {
            VectorMask<Float> lanes = VectorMath.F.indexInRange(i, length);
            FloatVector acc = FloatVector.zero(VectorMath.F);
            for (int d = 0; d < headDim; d++) {
                acc = FloatVector.fromArray(VectorMath.F, keys, from + d * KvPages.POSITIONS + i, lanes)
                        .fma(FloatVector.broadcast(VectorMath.F, q[qOffset + d]), acc);
            }
            acc.mul(scale).intoArray(att, to + i, lanes);
        }
    }
}
