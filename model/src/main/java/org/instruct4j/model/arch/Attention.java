package org.instruct4j.model.arch;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.tensor.Tensors;

/**
 * Scaled dot-product attention written out with matmul and softmax. libtorch's fused SDPA gives the same
 * result in fp32 but is ~3x slower in bf16 on CPU, so on the CPU this one path serves both precisions; on a GPU the
 * fused kernel ({@link #attendFused}) runs instead. The softmax runs in the scores' own dtype: libtorch accumulates a
 * bf16 softmax in fp32 inside the kernel and rounds once, as the separate fp32 softmax and bf16 cast did, without
 * writing and reading an fp32 copy of the [batch, heads, steps, keys] scores (those conversions were 12 % of a bf16
 * training step). Grouped-query attention is computed without copying keys: the query heads that share a key/value
 * head are stacked along the time axis.
 */
public final class Attention {
    /** Finite, so a fully masked row (a left-padding query) softmaxes to harmless values instead of NaN. */
    private static final Scalar BLOCKED = Tensors.keep(new Scalar(-1e30f));
    /**
     * Query rows per block of {@link #attendInRowBlocks}; a call with fewer than two blocks' worth of queries takes the
     * written-out path. 128 was the fastest of 32, 64 and 128 for the bf16 attention of a training step at seq 256
     * (StepProfileBench: each block costs its own dozen ops, so smaller blocks skip more scores but spend more calls).
     */
    static final long ROW_BLOCK = 128;

    private Attention() {}

    /**
     * Which keys each new query may not see: [batch, 1, 1, steps, keys] (bool, true = blocked), or null when
     * none is blocked. Query i of this call sits at cache slot {@code start + i}; it sees slots up to its own,
     * not left padding ({@code keyMask} false), and with a sliding window only the last {@code window} slots.
     */
    public static Tensor blockedKeys(Tensor keyMask, long start, long steps, int window, Device device) {
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
    public static Tensor blockedAcrossSegments(Tensor segments, long steps, int window, Device device) {
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
    static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor blocked, int window) {
        if (!q.device().is_cpu()) {
            return attendFused(q, k, v, blocked);
        }
        if (q.size(1) >= 2 * ROW_BLOCK) {
            return attendInRowBlocks(q, k, v, blocked, window, ROW_BLOCK);
        }
        return attendWrittenOut(q, k, v, blocked);
    }

    /**
     * The same a block of {@code rowBlock} query rows at a time, each against only the keys it can see: up to its last
     * row's own slot (causal) and, with a sliding {@code window} (0 = none), from its first row's window on. A causal
     * pass over T steps then multiplies and softmaxes about half the T x T scores (the blocks above the diagonal are
     * never computed), and the scores held for the backward pass shrink by as much. {@code blocked} still masks within
     * each block (the diagonal, other packed segments, padding). The result equals {@link #attendWrittenOut}'s except
     * for a query that sees no key at all (a left-padding row), whose meaningless output averages other values.
     */
    public static Tensor attendInRowBlocks(Tensor q, Tensor k, Tensor v, Tensor blocked, int window, long rowBlock) {
        long batch = q.size(0), steps = q.size(1), heads = q.size(2), headDim = q.size(3);
        long kvHeads = k.size(1), group = heads / kvHeads, keys = k.size(2), start = keys - steps;
        Tensor queries = q.mul(new Scalar(1.0 / Math.sqrt(headDim)))
                .view(batch, steps, kvHeads, group, headDim)
                .permute(0, 2, 3, 1, 4);
        // the mask as an additive bias, added in place: no copy of the scores and nothing to do in the backward pass
        Tensor bias = blocked == null ? null
                : torch.zeros(blocked.sizes().vec().get(), new TensorOptions(q.scalar_type())
                        .device(new org.bytedeco.pytorch.DeviceOptional(q.device()))).masked_fill_(blocked, BLOCKED);
        Tensor[] outputs = new Tensor[(int) ((steps + rowBlock - 1) / rowBlock)];
        for (int b = 0; b < outputs.length; b++) {
            long first = b * rowBlock, rows = Math.min(rowBlock, steps - first);
            long end = start + first + rows;
            long from = window > 0 ? Math.max(0, start + first - window + 1) : 0;
            long seen = end - from;
            Tensor block = queries.narrow(3, first, rows).reshape(batch, kvHeads, group * rows, headDim);
            Tensor scores = block.matmul(k.narrow(2, from, seen).transpose(2, 3));
            if (bias != null) {
                // [batch or 1, 1, 1, rows, seen] over the query heads of a group: in place on the scores themselves (not
                // on a view of them, which autograd would have to copy back in the backward pass)
                Tensor part = bias.narrow(3, first, rows).narrow(4, from, seen);
                long biasRows = part.size(0);
                part = group == 1 ? part.view(biasRows, 1, rows, seen)
                        : part.expand(biasRows, 1, group, rows, seen).reshape(biasRows, 1, group * rows, seen);
                scores.add_(part);
            }
            outputs[b] = scores.softmax(-1).matmul(v.narrow(2, from, seen)).view(batch, kvHeads, group, rows, headDim);
        }
        return torch.cat(new TensorArrayRef(new TensorVector(outputs)), 3)
                .permute(0, 3, 1, 2, 4)
                .reshape(batch, steps, heads * headDim);
    }

    /** The whole [steps, keys] score matrix at once (the reference the other forms are tested against). */
    public static Tensor attendWrittenOut(Tensor q, Tensor k, Tensor v, Tensor blocked) {
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

    /**
     * The same with libtorch's scaled_dot_product_attention, which picks a fused CUDA kernel (memory-efficient when a
     * mask is given) and shares key/value heads itself ({@code enable_gqa}). The mask is additive and finite, like
     * {@link #BLOCKED}, so a fully masked row averages instead of turning into NaN.
     */
    public static Tensor attendFused(Tensor q, Tensor k, Tensor v, Tensor blocked) {
        long batch = q.size(0), steps = q.size(1), heads = q.size(2), headDim = q.size(3);
        TensorOptional mask = new TensorOptional();
        if (blocked != null) {
            Tensor bias = torch.zeros(new long[] {blocked.size(0), 1, steps, k.size(2)},
                    new TensorOptions(q.scalar_type()).device(new org.bytedeco.pytorch.DeviceOptional(q.device())));
            mask = new TensorOptional(bias.masked_fill(blocked.squeeze(2), BLOCKED));
        }
        Tensor out = torch.scaled_dot_product_attention(q.transpose(1, 2), k, v, mask, 0.0, false, new DoubleOptional(), true);
        return out.transpose(1, 2).reshape(batch, steps, heads * headDim);
    }
}
