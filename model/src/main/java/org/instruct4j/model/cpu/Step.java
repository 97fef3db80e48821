package org.instruct4j.model.cpu;

/**
 * One forward pass of the CPU engine: its slots (a token of some row at some position: a prompt chunk gives a row
 * several consecutive slots) and every buffer the pass writes, [slots x width] each, kept from pass to pass.
 */
final class Step {
    final ModelDims dims;
    final Matmul matmul;
    final Attention attention;
    final RowSplit rowSplit;
    int size;
    CpuSequence[] rows = new CpuSequence[0];
    int[] positions = new int[0];
    int[] tokens = new int[0];
    /** Slots whose final hidden state is wanted, and how many. */
    int[] outputSlots = new int[0];
    int outputs;
    /** The residual stream. */
    float[] x = new float[0];
    /** A normalized copy of x, the input of the next matrices. */
    float[] xb = new float[0];
    float[] q = new float[0];
    float[] k = new float[0];
    float[] v = new float[0];
    /** Attention output, the input of the output projection. */
    float[] att = new float[0];
    /** A matrix's output on its way back into x. */
    float[] xb2 = new float[0];
    float[] hb = new float[0];
    float[] hb2 = new float[0];
    /** The final hidden states of the output slots, [outputs x outDim]. */
    float[] hidden = new float[0];

    Step(ModelDims dims, Matmul matmul, Attention attention, RowSplit rowSplit) {
        this.dims = dims;
        this.matmul = matmul;
        this.attention = attention;
        this.rowSplit = rowSplit;
    }

    /** Makes room for {@code slots} slots; the buffers only ever grow. */
    void reserve(int slots) {
        if (slots <= rows.length) {
            return;
        }
        rows = new CpuSequence[slots];
        positions = new int[slots];
        tokens = new int[slots];
        outputSlots = new int[slots];
        int wide = Math.max(dims.dim(), dims.outDim());
        x = new float[slots * wide];
        xb = new float[slots * wide];
        q = new float[slots * dims.qDim()];
        k = new float[slots * dims.kvDim()];
        v = new float[slots * dims.kvDim()];
        att = new float[slots * dims.qDim()];
        xb2 = new float[slots * wide];
        hb = new float[slots * dims.hidden()];
        hb2 = new float[slots * dims.hidden()];
        hidden = new float[slots * dims.outDim()];
    }

    /** Stores every slot's new key and value in its row's cache (see below). */
    void storeKeysAndValues(int layer) {
        storeKeysAndValues(layer, 0, size);
    }

    /**
     * Stores the new key and value (in k and v) of slots [from, to) in their rows' caches at their positions, for
     * layer {@code layer} (blocks are [kvDim][positions]: see {@link KvPages}), rounded to bfloat16 in a bfloat16 cache.
     */
    void storeKeysAndValues(int layer, int from, int to) {
        int kvDim = dims.kvDim();
        for (int s = from; s < to; s++) {
            int position = positions[s];
            int column = position & (KvPages.POSITIONS - 1);
            int block = position >> KvPages.SHIFT, valueAt = KvPages.START + column * kvDim;
            if (rows[s].bf16()) {
                short[] keys16 = rows[s].keys16[layer][block], values16 = rows[s].values16[layer][block];
                for (int c = 0; c < kvDim; c++) {
                    keys16[KvPages.START + c * KvPages.POSITIONS + column] = Bf16.fromFloat(k[s * kvDim + c]);
                    values16[valueAt + c] = Bf16.fromFloat(v[s * kvDim + c]);
                }
            } else {
                float[] keys = rows[s].keys[layer][block];
                for (int c = 0; c < kvDim; c++) {
                    keys[KvPages.START + c * KvPages.POSITIONS + column] = k[s * kvDim + c];
                }
                System.arraycopy(v, s * kvDim, rows[s].values[layer][block], valueAt, kvDim);
            }
        }
    }
}
