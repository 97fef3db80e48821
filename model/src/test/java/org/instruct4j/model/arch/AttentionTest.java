package org.instruct4j.model.arch;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** The fused path GPUs take gives what the written-out path gives, checked on the CPU in fp32. */
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

        Tensor written = Attention.attend(q, k, v, blocked);
        Tensor fused = Attention.attendFused(q, k, v, blocked);

        assertThat(fused.sizes().vec().get()).containsExactly(batch, steps, heads * headDim);
        assertThat(maxDifference(written, fused)).isLessThan(1e-5);
        assertThat(maxDifference(Attention.attend(q, k, v, null), Attention.attendFused(q, k, v, null))).isLessThan(1e-5);
    }

    private static double maxDifference(Tensor a, Tensor b) {
        return a.sub(b).abs().max().to(CPU, ScalarType.Double).item_double();
    }
}
