package org.instruct4j.bench.train;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.train.run.BaseModels;

/**
 * The machine's matmul peak through libtorch: GFLOP/s of an N x N by N x N product in fp32 and bf16, the
 * median of 10 after 3 warm-up products, on one thread per core. The training benchmark reports its FLOP rate as a
 * fraction of it, measured in the same run.
 *
 * <pre>bench/run train.MatmulPeakBench [N [fp32|bf16]]   (default 2048, both)</pre>
 */
public final class MatmulPeakBench {
    private MatmulPeakBench() {}

    public static void main(String[] args) {
        BaseModels.useThreads(0);
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        ScalarType[] dtypes = args.length > 1
                ? new ScalarType[] {org.instruct4j.model.tensor.Precision.parse(args[1]).scalarType()}
                : new ScalarType[] {ScalarType.Float, ScalarType.BFloat16};
        for (ScalarType dtype : dtypes) {
            System.out.printf("matmul %d^2 %s threads %d: median %.1f GFLOP/s%n", n, dtype, torch.get_num_threads(), gflops(n, dtype));
        }
    }

    /** The median GFLOP/s of 10 N x N products in {@code dtype}, after 3 warm-up products, on libtorch's current threads. */
    static double gflops(int n, ScalarType dtype) {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = torch.randn(n, n).to(dtype);
            Tensor b = torch.randn(n, n).to(dtype);
            double[] rates = new double[10];
            for (int i = -3; i < rates.length; i++) {
                long began = System.nanoTime();
                a.matmul(b).sum().item_double();
                double seconds = (System.nanoTime() - began) / 1e9;
                if (i >= 0) {
                    rates[i] = 2.0 * n * n * n / seconds / 1e9;
                }
            }
            Arrays.sort(rates);
            return rates[rates.length / 2];
        }
    }
}
