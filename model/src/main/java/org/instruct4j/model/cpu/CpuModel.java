package org.instruct4j.model.cpu;

/** An architecture's forward pass on the CPU engine. */
interface CpuModel {

    ModelDims dims();

    /**
     * Runs the step's slots through the layers (their keys and values join their rows' caches) and writes the final
     * hidden state of each output slot to {@code step.hidden}.
     */
    void forward(Step step);

    /** The output head [vocab, outDim], or null for a backbone without one. */
    Matrix classifier();

    /** Bytes of the layer matrices and the output head: what one token's pass reads. */
    long matrixBytes();

    /** The matrices' storage formats, for logs ("Q8_0", "F32 + Q8_0"). */
    String formats();
}
