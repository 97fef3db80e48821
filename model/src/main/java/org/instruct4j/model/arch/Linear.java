package org.instruct4j.model.arch;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * y = x W^T + b. On CPU in fp32, libtorch's gemm (OpenBLAS) costs ~80 us per call however small the input,
 * ten times a matrix-vector product, so a single row (decoding one sequence) goes through torch.mv
 * instead: it takes batch-1 decoding of a 15M Llama from ~18 to a few ms per token.
 */
final class Linear {
    private Linear() {}

    static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        long in = x.size(-1);
        boolean singleRow = x.numel() == in && x.is_cpu() && x.scalar_type().intern() == ScalarType.Float;
        if (!singleRow) {
            return bias == null ? torch.linear(x, weight) : torch.linear(x, weight, new TensorOptional(bias));
        }
        Tensor y = torch.mv(weight, x.reshape(in));
        if (bias != null) {
            y = y.add(bias);
        }
        long[] shape = new long[(int) x.dim()];
        for (int i = 0; i < shape.length - 1; i++) {
            shape[i] = x.size(i);
        }
        shape[shape.length - 1] = weight.size(0);
        return y.view(shape);
    }

    static Tensor apply(Tensor x, Tensor weight) {
        return apply(x, weight, null);
    }
}
