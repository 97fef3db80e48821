package org.instruct4j.model.arch;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * The fused path GPUs take and the row-block path the CPU takes give what the written-out path gives, checked on the CPU
 * in fp32.
 */
class AttentionTest {
    private static final Device CPU = new Device("cpu");

    @Test
    void fusedAttentionMatchesTheWrittenOutOneWithGroupedQueriesPaddingAndACausalMask() {
        torch.manual_seed(3);
        long batch = 2, steps = 5, heads = 4, kvHeads = 2, headDim = 8;
        Tensor q = torch.randn(batch, steps, heads, headDim);
        Tensor k = torch.randn(batch, kvHeads, steps, headDim);
        Tensor v = torch.randn(batch, kvHeads, steps, headDim);
        boolean[] keep = {false, false, true, true, true, true, true, true, true, true}; // row 0 is left-padded by 2
        Tensor keyMask = Tensors.bools(keep, CPU, batch, steps);
        Tensor blocked = Attention.blockedKeys(keyMask, 0, steps, 0, CPU);

        Tensor written = Attention.attendWrittenOut(q, k, v, blocked);
        Tensor fused = Attention.attendFused(q, k, v, blocked);

        assertThat(fused.sizes().vec().get()).containsExactly(batch, steps, heads * headDim);
        assertThat(maxDifference(written, fused)).isLessThan(1e-5);
        assertThat(maxDifference(Attention.attendWrittenOut(q, k, v, null), Attention.attendFused(q, k, v, null))).isLessThan(1e-5);
    }

    @Test
    void rowBlocksGiveTheWrittenOutValuesAndGradientsWithSegmentsWindowsGroupedQueriesAndACache() {
        torch.manual_seed(5);
        long batch = 2, steps = 37, heads = 4, kvHeads = 2, headDim = 8;
        // two packed segments in row 0 (18 + 19 steps), one in row 1
        long[] ids = new long[(int) (batch * steps)];
        for (int i = 18; i < steps; i++) {
            ids[i] = 1;
        }
        Tensor segments = Tensors.longs(ids, CPU, batch, steps);
        for (int window : new int[] {0, 9}) {
            for (long rowBlock : new long[] {1, 8, 16, 64}) {
                Tensor q = torch.randn(batch, steps, heads, headDim).requires_grad_(true);
                Tensor k = torch.randn(batch, kvHeads, steps, headDim).requires_grad_(true);
                Tensor v = torch.randn(batch, kvHeads, steps, headDim).requires_grad_(true);
                Tensor blocked = Attention.blockedAcrossSegments(segments, steps, window, CPU);
                Tensor upstream = torch.randn(batch, steps, heads * headDim);

                Tensor written = Attention.attendWrittenOut(q, k, v, blocked);
                Tensor[] writtenGrads = grads(written, upstream, q, k, v);
                Tensor rows = Attention.attendInRowBlocks(q, k, v, blocked, window, rowBlock);
                Tensor[] rowGrads = grads(rows, upstream, q, k, v);

                assertThat(maxDifference(rows, written)).as("window %d, blocks of %d", window, rowBlock).isLessThan(1e-5);
                for (int i = 0; i < 3; i++) {
                    assertThat(maxDifference(rowGrads[i], writtenGrads[i])).as("gradient %d", i).isLessThan(1e-5);
                }
            }
        }
        // a cache: 5 new queries after 30 stored keys, causal, no padding
        Tensor q = torch.randn(1, 5, heads, headDim);
        Tensor k = torch.randn(1, kvHeads, 35, headDim);
        Tensor v = torch.randn(1, kvHeads, 35, headDim);
        Tensor blocked = Attention.blockedKeys(null, 30, 5, 0, CPU);
        assertThat(maxDifference(Attention.attendInRowBlocks(q, k, v, blocked, 0, 2), Attention.attendWrittenOut(q, k, v, blocked)))
                .isLessThan(1e-5);
        // and the difference is not zero when a block is cut wrongly (the test can fail)
        Tensor shifted = Attention.attendInRowBlocks(q, k.flip(2), v, blocked, 0, 2);
        assertThat(maxDifference(shifted, Attention.attendWrittenOut(q, k, v, blocked))).isGreaterThan(1e-3);
    }

    private static Tensor[] grads(Tensor out, Tensor upstream, Tensor... inputs) {
        TensorVector g = torch.grad(new TensorVector(out), new TensorVector(inputs), new TensorVector(upstream),
                new BoolOptional(true), false, false);
        // TensorVector.get returns a reference into the vector, which is freed when g is collected: own copies
        return new Tensor[] {new Tensor(g.get(0)), new Tensor(g.get(1)), new Tensor(g.get(2))};
    }

    private static double maxDifference(Tensor a, Tensor b) {
        return a.sub(b).abs().max().to(CPU, ScalarType.Double).item_double();
    }
}
