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
    private final float[] cos;
    private final float[] sin;

    Rope(float[] inverseFrequencies, int headDim, boolean interleaved) {
        this.inverseFrequencies = inverseFrequencies;
        this.headDim = headDim;
        this.interleaved = interleaved;
        this.cos = new float[inverseFrequencies.length];
        this.sin = new float[inverseFrequencies.length];
    }

    /** Rotates the {@code heads} heads of each of {@code n} rows of {@code x}, row t at {@code positions[t]}. */
    void rotate(float[] x, int[] positions, int n, int heads) {
        int half = inverseFrequencies.length;
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < half; i++) {
                float angle = positions[t] * inverseFrequencies[i];
                cos[i] = (float) Math.cos(angle);
                sin[i] = (float) Math.sin(angle);
            }
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    int a = interleaved ? base + 2 * i : base + i;
                    int b = interleaved ? a + 1 : a + half;
                    float x0 = x[a], x1 = x[b];
                    x[a] = x0 * cos[i] - x1 * sin[i];
                    x[b] = x1 * cos[i] + x0 * sin[i];
                }
            }
        }
    }
}
