package org.instruct4j.model.cpu;

/**
 * Rotary position embeddings: pairs of each head's dimensions rotated by position x frequency. Hugging Face
 * checkpoints pair dimension i with i + headDim/2 ("rotate half"); llama2.c and GGUF's llama pair 2i with 2i + 1
 * (their q and k rows are permuted to match), so the weights are used as stored either way. Angles are computed in
 * float32 as torch does ((float) position * inverse frequency), then their cosine and sine.
 */
final class Rope {
    private final float[] inverseFrequencies;
    private final int headDim;
    private final boolean interleaved;
    /** The pass's cosines and sines: row t's at [t * half, (t + 1) * half), filled by {@link #prepare}. */
    private float[] cos = new float[0];
    private float[] sin = new float[0];

    Rope(float[] inverseFrequencies, int headDim, boolean interleaved) {
        this.inverseFrequencies = inverseFrequencies;
        this.headDim = headDim;
        this.interleaved = interleaved;
    }

    /**
     * Computes the angles' cosines and sines for the {@code n} rows of a pass, row t at {@code positions[t]}: once per
     * pass, for every layer's queries and keys.
     */
    void prepare(int[] positions, int n) {
        int half = inverseFrequencies.length;
        if (cos.length < n * half) {
            cos = new float[n * half];
            sin = new float[n * half];
        }
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < half; i++) {
                float angle = positions[t] * inverseFrequencies[i];
                cos[t * half + i] = (float) Math.cos(angle);
                sin[t * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Rotates the {@code heads} heads of rows [from, to) of {@code x} by the angles {@link #prepare}d. */
    void rotate(float[] x, int from, int to, int heads) {
        int half = inverseFrequencies.length;
        for (int t = from; t < to; t++) {
            int angles = t * half;
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    int a = interleaved ? base + 2 * i : base + i;
                    int b = interleaved ? a + 1 : a + half;
                    float x0 = x[a], x1 = x[b], c = cos[angles + i], sn = sin[angles + i];
                    x[a] = x0 * c - x1 * sn;
                    x[b] = x1 * c + x0 * sn;
                }
            }
        }
    }
}
