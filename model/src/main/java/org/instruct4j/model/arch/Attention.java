package org.instruct4j.model.arch;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.tensor.Tensors;

/**
 * Scaled dot-product attention written out with matmul and softmax. libtorch's fused SDPA gives the same
 * result in fp32 but is ~3x slower in bf16 on CPU, so this one path serves both precisions. The softmax runs in the
 * scores' own dtype: libtorch accumulates a bf16 softmax in fp32 inside the kernel and rounds once, as the separate
 * fp32 softmax and bf16 cast did, without writing and reading an fp32 copy of the [batch, heads, steps, keys] scores
 * (those conversions were 12 % of a bf16 training step). Grouped-query attention is computed without copying keys:
 * the query heads that share a key/value head are stacked along the time axis.
 */
final class Attention {
    /** Finite, so a fully masked row (a left-padding query) softmaxes to harmless values instead of NaN. */
    private static final Scalar BLOCKED = Tensors.keep(new Scalar(-1e30f));

    private Attention() {}

    /**
     * Which keys each new query may not see: [batch, 1, 1, steps, keys] (bool, true = blocked), or null when
     * none is blocked. Query i of this call sits at cache slot {@code start + i}; it sees slots up to its own,
     * not left padding ({@code keyMask} false), and with a sliding window only the last {@code window} slots.
     */
    static Tensor blockedKeys(Tensor keyMask, long start, long steps, int window, Device device) {
        long keys = start + steps;
        if (steps == 1 && keyMask == null && (window <= 0 || keys <= window)) {
            return null;
        }
        TensorOptions longs = new TensorOptions(ScalarType.Long).device(new org.bytedeco.pytorch.DeviceOptional(device));
        Tensor query = torch.arange(new Scalar(start), new Scalar(keys), longs).unsqueeze(1);
        Tensor key = torch.arange(new Scalar(0), new Scalar(keys), longs).unsqueeze(0);
        Tensor blocked = key.gt(query);
        if (window > 0) {
            blocked = blocked.logical_or(key.le(query.sub(new Scalar(window))));
        }
        blocked = blocked.view(1, 1, 1, steps, keys);
        if (keyMask != null) {
            blocked = blocked.logical_or(keyMask.logical_not().view(keyMask.size(0), 1, 1, 1, keys));
        }
        return blocked;
    }

    /**
     * Causal attention within segments, [batch, 1, 1, steps, steps] (true = blocked): a query sees the keys at
     * or before it that carry its own segment number, so examples packed into one row stay isolated.
     */
    static Tensor blockedAcrossSegments(Tensor segments, long steps, int window, Device device) {
        Tensor causal = blockedKeys(null, 0, steps, window, device);
        if (segments == null || causal == null) {
            return causal;
        }
        Tensor otherSegment = segments.unsqueeze(2).ne(segments.unsqueeze(1));
        return causal.logical_or(otherSegment.view(segments.size(0), 1, 1, steps, steps));
    }

    /**
     * q [batch, steps, heads, headDim]; k, v [batch, kvHeads, keys, headDim]; returns [batch, steps,
     * heads * headDim].
     */
    static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor blocked) {
        long batch = q.size(0), steps = q.size(1), heads = q.size(2), headDim = q.size(3);
        long kvHeads = k.size(1), group = heads / kvHeads, keys = k.size(2);
        Tensor queries = q.mul(new Scalar(1.0 / Math.sqrt(headDim)))
                .view(batch, steps, kvHeads, group, headDim)
                .permute(0, 2, 3, 1, 4)
                .reshape(batch, kvHeads, group * steps, headDim);
        Tensor scores = queries.matmul(k.transpose(2, 3));
        if (blocked != null) {
            scores = scores.view(batch, kvHeads, group, steps, keys).masked_fill(blocked, BLOCKED)
                    .view(batch, kvHeads, group * steps, keys);
        }
        Tensor probs = scores.softmax(-1);
        return probs.matmul(v)
                .view(batch, kvHeads, group, steps, headDim)
                .permute(0, 3, 1, 2, 4)
                .reshape(batch, steps, heads * headDim);
    }
}
