package org.instruct4j.train.dist;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.VoidTensorHook;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.run.GradientSync;
import org.instruct4j.train.run.TrainableWeights;

/**
 * Gradients summed over every process in buckets, overlapping the backward pass, as PyTorch's DDP does: the trained
 * tensors are grouped, in reverse order (the order the backward pass produces their gradients), into buckets of
 * at most {@value #DEFAULT_CAP_MB} MB of fp32 each; one fp32 buffer per bucket. In the step's last micro-batch a hook
 * on each tensor copies its gradient, plus what the step's earlier micro-batches accumulated, into its place in the
 * buffer as soon as autograd computes it; a full bucket starts its all-reduce at once (buckets always start in the
 * same order on every process, as the collectives must) while the backward pass goes on with the layers below.
 * {@link #finish} waits for the last ones and replaces every accumulated gradient with the sum.
 *
 * <p>The sum is the whole step's gradient, not an average: every process divides its loss by the units (target
 * tokens, pairs) of the whole global batch, which it knows from the plan, so the sum is exactly the single-process
 * gradient of that batch even when the processes hold different numbers of tokens (an average over the processes
 * of per-process means would weigh a token of a short shard more).
 *
 * <p>Under activation checkpointing the layers' gradients are produced by one backward pass per layer after the
 * loss's, and a tied weight (embeddings and head) gets its gradient in two of them, so the buckets start only once
 * the whole backward pass is done: no overlap there.
 */
public final class GradientBuckets implements GradientSync {
    public static final long DEFAULT_CAP_MB = 25;
    private static final long FP32 = 4;

    private final Collectives collectives;
    private final TrainableWeights weights;
    private final List<String> names;
    private final List<int[]> buckets;
    private final int[] bucketOf;
    private final Tensor[] buffers;
    private final Tensor[] slots;
    private final int[] pending;
    private final boolean[] filled;
    private final Work[] works;
    private final boolean deferred;
    private final List<VoidTensorHook> hooks = new ArrayList<>();
    private volatile boolean armed;
    private int nextLaunch;
    private RuntimeException failure;
    private long overlapped;

    /**
     * Buckets for the trained tensors of {@code weights}, at most {@code capBytes} of fp32 each (a larger tensor gets a
     * bucket of its own); {@code deferred} starts them only after the backward pass (activation checkpointing).
     */
    public GradientBuckets(Collectives collectives, TrainableWeights weights, long capBytes, boolean deferred) {
        this.collectives = collectives;
        this.weights = weights;
        this.deferred = deferred;
        Map<String, Tensor> working = weights.working();
        this.names = List.copyOf(working.keySet());
        long[] numels = new long[names.size()];
        for (int i = 0; i < numels.length; i++) {
            numels[i] = working.get(names.get(i)).numel();
        }
        this.buckets = plan(numels, capBytes);
        this.bucketOf = new int[names.size()];
        this.buffers = new Tensor[buckets.size()];
        this.slots = new Tensor[names.size()];
        this.pending = new int[buckets.size()];
        this.filled = new boolean[names.size()];
        this.works = new Work[buckets.size()];
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int b = 0; b < buckets.size(); b++) {
                long size = 0;
                for (int p : buckets.get(b)) {
                    size += numels[p];
                }
                Tensor first = working.get(names.get(buckets.get(b)[0]));
                buffers[b] = Tensors.keep(torch.zeros(new long[] {size},
                        new TensorOptions(ScalarType.Float).device(new DeviceOptional(first.device()))));
                long offset = 0;
                for (int p : buckets.get(b)) {
                    Tensor param = working.get(names.get(p));
                    slots[p] = Tensors.keep(buffers[b].narrow(0, offset, numels[p]).view(param.sizes()));
                    bucketOf[p] = b;
                    offset += numels[p];
                }
            }
        }
        for (int p = 0; p < names.size(); p++) {
            int index = p;
            VoidTensorHook hook = new VoidTensorHook() {
                @Override
                public void call(TensorBase grad) {
                    ready(index, new Tensor(grad));
                }
            };
            hooks.add(hook);
            working.get(names.get(p)).register_hook(hook);
        }
    }

    /**
     * The buckets of tensors with {@code numels} elements: indices in reverse order, a new bucket whenever the next
     * tensor would take the current one past {@code capBytes} of fp32.
     */
    public static List<int[]> plan(long[] numels, long capBytes) {
        List<int[]> buckets = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long bytes = 0;
        for (int p = numels.length - 1; p >= 0; p--) {
            long size = numels[p] * FP32;
            if (!current.isEmpty() && bytes + size > capBytes) {
                buckets.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
                bytes = 0;
            }
            current.add(p);
            bytes += size;
        }
        if (!current.isEmpty()) {
            buckets.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return buckets;
    }

    public int bucketCount() {
        return buckets.size();
    }

    /** Buckets whose all-reduce started while the backward pass was still running, since the start. */
    public long overlappedBuckets() {
        return overlapped;
    }

    @Override
    public void arm() {
        for (int b = 0; b < buckets.size(); b++) {
            pending[b] = buckets.get(b).length;
            works[b] = null;
        }
        java.util.Arrays.fill(filled, false);
        nextLaunch = 0;
        failure = null;
        armed = true;
    }

    /** The hook: tensor {@code p}'s gradient of this backward pass is {@code grad}. */
    private void ready(int p, Tensor grad) {
        if (!armed || failure != null) {
            return;
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            if (filled[p]) {
                if (works[bucketOf[p]] != null) {
                    throw new IllegalStateException("the gradient of " + names.get(p) + " arrived twice in one backward pass, after "
                            + "its bucket was sent");
                }
                slots[p].add_(grad);
                return;
            }
            fill(p, grad);
            if (!deferred) {
                int before = nextLaunch;
                launchReady();
                overlapped += nextLaunch - before;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Tensor {@code p}'s slot becomes its accumulated gradient plus {@code grad} (null: no gradient in this pass). */
    private void fill(int p, Tensor grad) {
        Tensor before = weights.accumulatedGradient(names.get(p));
        if (grad != null) {
            slots[p].copy_(grad);
            if (before != null) {
                slots[p].add_(before);
            }
        } else if (before != null) {
            slots[p].copy_(before);
        } else {
            slots[p].zero_();
        }
        filled[p] = true;
        pending[bucketOf[p]]--;
    }

    /** Starts every full bucket from the next in order; a full bucket waits for the ones before it. */
    private void launchReady() {
        while (nextLaunch < buckets.size() && pending[nextLaunch] == 0) {
            // kept out of the micro-batch's PointerScope, which ends before finish() waits for it
            works[nextLaunch] = Tensors.keep(collectives.allReduceStart(buffers[nextLaunch]));
            nextLaunch++;
        }
    }

    @Override
    public void finish() {
        armed = false;
        if (failure != null) {
            throw failure;
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int p = 0; p < names.size(); p++) {
                if (!filled[p]) {
                    fill(p, null); // no gradient in the last pass (unused, or a process without rows)
                }
            }
            launchReady();
            for (int b = 0; b < buckets.size(); b++) {
                collectives.await(works[b], "all-reduce of gradient bucket " + b + " of " + buckets.size());
                works[b].releaseReference();
            }
            for (int p = 0; p < names.size(); p++) {
                weights.replaceGradient(names.get(p), slots[p]);
            }
        }
    }
}
