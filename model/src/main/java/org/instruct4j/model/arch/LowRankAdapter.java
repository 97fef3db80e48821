package org.instruct4j.model.arch;

import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.io.BadInputException;

/**
 * LoRA (Hu et al., 2021) as PEFT computes it: {@code scale * B(A(dropout(x)))} is added to a frozen
 * layer's output, with A [rank, in], B [out, rank] and scale = alpha / rank. Dropout applies only while
 * training, its masks drawn from {@link DropoutMasks#generator}.
 */
public final class LowRankAdapter {
    private final Tensor a;
    private final Tensor b;
    private final double scale;
    private final double dropout;
    private boolean training;

    public LowRankAdapter(Tensor a, Tensor b, double scale, double dropout) {
        if (a.size(0) != b.size(1)) {
            throw new BadInputException("LoRA A has rank " + a.size(0) + " but B has rank " + b.size(1));
        }
        this.a = a;
        this.b = b;
        this.scale = scale;
        this.dropout = dropout;
    }

    Tensor apply(Tensor x) {
        Tensor in = training && dropout > 0 ? DropoutMasks.apply(x, dropout) : x;
        return Linear.apply(Linear.apply(in, a), b).mul(new org.bytedeco.pytorch.Scalar(scale));
    }

    public Tensor a() {
        return a;
    }

    public Tensor b() {
        return b;
    }

    public double scale() {
        return scale;
    }

    /** Dropout on (training) or off (evaluation). */
    public void training(boolean on) {
        this.training = on;
    }
}
