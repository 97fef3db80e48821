package org.instruct4j.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Causal multi-head attention of every slot of a step over its own row's cache, heads split over the thread team:
 * for query head h (sharing key/value head h / group), scores q . k_t / sqrt(headDim) for the positions t the slot
 * sees (all up to its own, or the last {@code window} with a sliding window), softmax, then the weighted sum of the
 * values. Each unit first reads the keys and values of a slot's heads with loads alone ({@link #fetch}), then works
 * on them from the cache. Keys and values are float32 blocks, or bfloat16 ones widened to float as they are loaded
 * ({@link KvPages}); the arithmetic is float32 either way, and the two compute kernels (scores, weighted sums) each have
 * a twin for bfloat16 blocks that differs only in its loads.
 */
final class Attention implements ThreadTeam.Task {
    /** Multiply-adds below which one thread does the work. */
    private static final long PARALLEL_WORK = 1 << 15;
    private static final int UNITS_PER_THREAD = 4;

    private final ThreadTeam team;
    private final ModelDims dims;
    private final float scale;
    private final int window;
    /** Whether the blocks are bfloat16 (short[]) rather than float32. */
    private final boolean bf16;
    /** Per unit, the attention weights of the two heads it works on at a time. */
    private float[][] scores;
    private float[][] scores2;
    private Step step;
    private int layer;
    private int pairs;
    private int units;

    /** {@code window}: the sliding window (Mistral), or 0 for none; {@code bf16}: whether the KV blocks are bfloat16. */
    Attention(ThreadTeam team, ModelDims dims, int window, boolean bf16) {
        this.team = team;
        this.bf16 = bf16;
        this.dims = dims;
        this.scale = (float) (1 / Math.sqrt(dims.headDim()));
        this.window = window;
        this.scores = new float[team.size() * UNITS_PER_THREAD][0];
        this.scores2 = new float[team.size() * UNITS_PER_THREAD][0];
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
                scores2[unit] = new float[scores[unit].length];
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

    /**
     * Unit {@code unit} of {@code units}: a range of the (slot, head) pairs, two heads of a slot at a time where it can
     * (their weighted sums are two independent chains of multiply-adds, where one waits on each add's latency).
     */
    @Override
    public void unit(int unit) {
        int heads = dims.heads();
        int from = (int) ((long) pairs * unit / units), to = (int) ((long) pairs * (unit + 1) / units);
        float fetched = 0;
        for (int pair = from; pair < to; ) {
            int slot = pair / heads, slotEnd = Math.min(to, (slot + 1) * heads);
            fetched += fetch(slot, pair % heads, (slotEnd - 1) % heads);
            for (; pair < slotEnd; ) {
                int head = pair % heads;
                boolean two = pair + 1 < slotEnd;
                weights(slot, head, scores[unit]);
                if (two) {
                    weights(slot, head + 1, scores2[unit]);
                }
                if (bf16) {
                    weightedSumsBf16(slot, head, scores[unit], two ? scores2[unit] : null);
                } else {
                    weightedSums(slot, head, scores[unit], two ? scores2[unit] : null);
                }
                pair += two ? 2 : 1;
            }
        }
        scores[unit][0] = fetched; // kept, or the loads would be compiled away (the next head's scores overwrite it)
    }

    /**
     * Reads the keys and values that query heads {@code firstHead} to {@code lastHead} of {@code slot} see, one float
     * per cache line in address order, before the heads use them. The weights streamed through the caches since the
     * last step have evicted them, and a head's own loops, a dependent chain of multiply-adds, keep only a few misses
     * in flight; a loop of loads alone keeps many, and the heads then find their data in L2 (BENCHMARKS.md, model).
     */
    private float fetch(int slot, int firstHead, int lastHead) {
        int kvDim = dims.kvDim();
        int fromColumn = keyValueColumn(firstHead), toColumn = keyValueColumn(lastHead) + dims.headDim();
        int position = step.positions[slot];
        CpuSequence row = step.rows[slot];
        float sum = 0;
        for (int t = position + 1 - visible(position); t <= position; ) {
            int block = t >> KvPages.SHIFT, column = t & (KvPages.POSITIONS - 1);
            int length = Math.min(position + 1 - t, KvPages.POSITIONS - column);
            float[] keys = bf16 ? null : row.keys[layer][block], values = bf16 ? null : row.values[layer][block];
            short[] keys16 = bf16 ? row.keys16[layer][block] : null, values16 = bf16 ? row.values16[layer][block] : null;
            for (int d = fromColumn; d < toColumn; d++) {
                sum += touch(keys, keys16, KvPages.START + d * KvPages.POSITIONS + column, length);
            }
            if (fromColumn == 0 && toColumn == kvDim) {
                sum += touch(values, values16, KvPages.START + column * kvDim, length * kvDim);
            } else {
                for (int p = column; p < column + length; p++) {
                    sum += touch(values, values16, KvPages.START + p * kvDim + fromColumn, toColumn - fromColumn);
                }
            }
            t += length;
        }
        return sum;
    }

    /** Elements [from, from + count) of a block, the float32 one or else the bfloat16 one, read one per cache line. */
    private static float touch(float[] block, short[] block16, int from, int count) {
        return block != null ? VectorMath.touch(block, from, count) : Bf16.touch(block16, from, count);
    }

    /** The attention weights of query head {@code head} of {@code slot} over the positions it sees, into att. */
    private void weights(int slot, int head, float[] att) {
        int headDim = dims.headDim();
        int firstRow = keyValueColumn(head);
        int qOffset = slot * dims.qDim() + head * headDim;
        int position = step.positions[slot];
        int first = position + 1 - visible(position);
        for (int t = first; t <= position; ) {
            int block = t >> KvPages.SHIFT, column = t & (KvPages.POSITIONS - 1);
            int length = Math.min(position + 1 - t, KvPages.POSITIONS - column);
            int from = KvPages.START + firstRow * KvPages.POSITIONS + column;
            if (bf16) {
                scores(step.q, qOffset, step.rows[slot].keys16[layer][block], from, length, att, t - first);
            } else {
                scores(step.q, qOffset, step.rows[slot].keys[layer][block], from, length, att, t - first);
            }
            t += length;
        }
        VectorMath.softmax(att, 0, position + 1 - first);
    }

    /** The first key/value dimension of the key/value head that query head {@code head} shares. */
    private int keyValueColumn(int head) {
        return head / (dims.heads() / dims.kvHeads()) * dims.headDim();
    }

    /**
     * The attention outputs of query heads {@code head} (weights {@code att}) and, when {@code att2} is given,
     * {@code head + 1} (weights {@code att2}) of {@code slot}: for each head dimension d, the sum over the positions t
     * it sees of weight(t) * value dimension d at t, position t's values at
     * {@code values[t / POSITIONS][START + (t % POSITIONS) kvDim + column]}: vectors across the dimensions, one
     * multiply-add per position in order (the last vector masked), the two heads' chains side by side.
     */
    private void weightedSums(int slot, int head, float[] att, float[] att2) {
        int headDim = dims.headDim(), kvDim = dims.kvDim();
        int position = step.positions[slot];
        int first = position + 1 - visible(position);
        float[][] values = step.rows[slot].values[layer];
        int column = keyValueColumn(head), column2 = att2 == null ? column : keyValueColumn(head + 1);
        int out = slot * dims.qDim() + head * headDim;
        for (int d = 0; d < headDim; d += VectorMath.LANES) {
            VectorMask<Float> lanes = VectorMath.F.indexInRange(d, headDim);
            FloatVector acc = FloatVector.zero(VectorMath.F), acc2 = acc;
            for (int t = first; t <= position; t++) {
                float[] v = values[t >> KvPages.SHIFT];
                int at = KvPages.START + (t & (KvPages.POSITIONS - 1)) * kvDim + d;
                acc = FloatVector.fromArray(VectorMath.F, v, at + column, lanes)
                        .fma(FloatVector.broadcast(VectorMath.F, att[t - first]), acc);
                if (att2 != null) {
                    acc2 = FloatVector.fromArray(VectorMath.F, v, at + column2, lanes)
                            .fma(FloatVector.broadcast(VectorMath.F, att2[t - first]), acc2);
                }
            }
            acc.intoArray(step.att, out + d, lanes);
            if (att2 != null) {
                acc2.intoArray(step.att, out + headDim + d, lanes);
            }
        }
    }

    /** As {@link #weightedSums}, from bfloat16 blocks. */
    private void weightedSumsBf16(int slot, int head, float[] att, float[] att2) {
        int headDim = dims.headDim(), kvDim = dims.kvDim();
        int position = step.positions[slot];
        int first = position + 1 - visible(position);
        short[][] values = step.rows[slot].values16[layer];
        int column = keyValueColumn(head), column2 = att2 == null ? column : keyValueColumn(head + 1);
        int out = slot * dims.qDim() + head * headDim;
        for (int d = 0; d < headDim; d += VectorMath.LANES) {
            VectorMask<Short> lanes = Bf16.S.indexInRange(d, headDim);
            VectorMask<Float> floats = lanes.cast(VectorMath.F);
            FloatVector acc = FloatVector.zero(VectorMath.F), acc2 = acc;
            for (int t = first; t <= position; t++) {
                short[] v = values[t >> KvPages.SHIFT];
                int at = KvPages.START + (t & (KvPages.POSITIONS - 1)) * kvDim + d;
                acc = Bf16.load(v, at + column, lanes)
                        .fma(FloatVector.broadcast(VectorMath.F, att[t - first]), acc);
                if (att2 != null) {
                    acc2 = Bf16.load(v, at + column2, lanes)
                            .fma(FloatVector.broadcast(VectorMath.F, att2[t - first]), acc2);
                }
            }
            acc.intoArray(step.att, out + d, floats);
            if (att2 != null) {
                acc2.intoArray(step.att, out + headDim + d, floats);
            }
        }
    }

    /**
     * {@code att[to + i] = q . key of position i * scale} for {@code length} consecutive positions of one block,
     * {@code keys[from + d * POSITIONS + i]} holding dimension d of position i: vectors across positions, one
     * multiply-add per dimension in order (the last vectors masked), two vectors of positions side by side.
     */
    private void scores(float[] q, int qOffset, float[] keys, int from, int length, float[] att, int to) {
        int headDim = dims.headDim(), lanes = VectorMath.LANES;
        for (int i = 0; i < length; i += 2 * lanes) {
            VectorMask<Float> first = VectorMath.F.indexInRange(i, length);
            VectorMask<Float> second = VectorMath.F.indexInRange(i + lanes, length);
            FloatVector acc = FloatVector.zero(VectorMath.F), acc2 = acc;
            for (int d = 0; d < headDim; d++) {
                FloatVector qd = FloatVector.broadcast(VectorMath.F, q[qOffset + d]);
                int at = from + d * KvPages.POSITIONS + i;
                acc = FloatVector.fromArray(VectorMath.F, keys, at, first).fma(qd, acc);
                acc2 = FloatVector.fromArray(VectorMath.F, keys, at + lanes, second).fma(qd, acc2);
            }
            acc.mul(scale).intoArray(att, to + i, first);
            acc2.mul(scale).intoArray(att, to + i + lanes, second);
        }
    }

    /** As the float32 form above, from a bfloat16 block. */
    private void scores(float[] q, int qOffset, short[] keys, int from, int length, float[] att, int to) {
        int headDim = dims.headDim(), lanes = VectorMath.LANES;
        for (int i = 0; i < length; i += 2 * lanes) {
            VectorMask<Short> first = Bf16.S.indexInRange(i, length);
            VectorMask<Short> second = Bf16.S.indexInRange(i + lanes, length);
            FloatVector acc = FloatVector.zero(VectorMath.F), acc2 = acc;
            for (int d = 0; d < headDim; d++) {
                FloatVector qd = FloatVector.broadcast(VectorMath.F, q[qOffset + d]);
                int at = from + d * KvPages.POSITIONS + i;
                acc = Bf16.load(keys, at, first).fma(qd, acc);
                acc2 = Bf16.load(keys, at + lanes, second).fma(qd, acc2);
            }
            acc.mul(scale).intoArray(att, to + i, first.cast(VectorMath.F));
            acc2.mul(scale).intoArray(att, to + i + lanes, second.cast(VectorMath.F));
        }
    }
}
