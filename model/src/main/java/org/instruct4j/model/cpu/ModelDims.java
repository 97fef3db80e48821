package org.instruct4j.model.cpu;

/**
 * The sizes a forward pass allocates for: the residual width, query and key/value widths, the feed-forward
 * width, the vocabulary, the width of the final hidden state (OPT projects it out), and the attention heads.
 */
record ModelDims(int dim, int qDim, int kvDim, int hidden, int vocab, int outDim, int layers, int heads, int kvHeads,
                 int headDim, int maxPositions) {

    /** The widest input any matrix of the model reads. */
    int widest() {
        return Math.max(Math.max(dim, qDim), Math.max(hidden, outDim));
    }
}
