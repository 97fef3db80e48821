package org.instruct4j.model.arch;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Keys and values of every layer for the positions seen so far, preallocated as
 * [batch, kvHeads, capacity, headDim] per layer. The tensors outlive the PointerScope of each decoded token
 * (they are retained here and released by {@link #close()}), so decoding does not grow memory.
 */
public final class KvCache implements AutoCloseable {
    private final Tensor[] keys;
    private final Tensor[] values;
    private final long capacity;
    private int length;

    public KvCache(int layers, long batch, long kvHeads, long capacity, long headDim, ScalarType dtype, Device device) {
        this.capacity = capacity;
        this.keys = new Tensor[layers];
        this.values = new Tensor[layers];
        TensorOptions options = new TensorOptions(dtype).device(new org.bytedeco.pytorch.DeviceOptional(device));
        for (int i = 0; i < layers; i++) {
            keys[i] = torch.zeros(new long[] {batch, kvHeads, capacity, headDim}, options);
            values[i] = torch.zeros(new long[] {batch, kvHeads, capacity, headDim}, options);
            keys[i].retainReference();
            values[i].retainReference();
        }
    }

    /** Number of positions stored. */
    public int length() {
        return length;
    }

    public long capacity() {
        return capacity;
    }

    /**
     * Stores {@code key} and {@code value} [batch, kvHeads, steps, headDim] of layer {@code layer} after the
     * positions already stored and returns all keys and values of that layer, new ones included.
     */
    Tensor[] append(int layer, Tensor key, Tensor value) {
        long steps = key.size(2);
        if (length + steps > capacity) {
            throw new IllegalStateException("KV cache full: " + length + " + " + steps + " positions > capacity " + capacity);
        }
        keys[layer].narrow(2, length, steps).copy_(key);
        values[layer].narrow(2, length, steps).copy_(value);
        return new Tensor[] {keys[layer].narrow(2, 0, length + steps), values[layer].narrow(2, 0, length + steps)};
    }

    /** Marks {@code steps} more positions as stored, once every layer has appended them. */
    void advance(long steps) {
        length += (int) steps;
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            keys[i].releaseReference();
            values[i].releaseReference();
        }
    }
}
