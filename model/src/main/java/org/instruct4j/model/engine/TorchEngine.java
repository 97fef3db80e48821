package org.instruct4j.model.engine;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.KvCache;
import org.instruct4j.model.tensor.Tensors;

/**
 * The engine API over a libtorch {@link CausalLm} (GPUs, and wherever libtorch measures faster). Each row keeps
 * its own batch-1 KV cache and a pass runs its entries one after another: libtorch's cache holds one length for
 * all rows of a batch, so rows at different positions cannot share its calls. Every row is therefore exactly as
 * it would be alone.
 */
public final class TorchEngine implements InferenceEngine {
    private final CausalLm model;

    public TorchEngine(CausalLm model) {
        this.model = model;
    }

    public CausalLm model() {
        return model;
    }

    @Override
    public int vocabSize() {
        return model.vocabSize();
    }

    @Override
    public int hiddenSize() {
        return model.hiddenSize();
    }

    @Override
    public int maxPositions() {
        return model.maxPositions();
    }

    @Override
    public Sequence newSequence(int capacity) {
        return new TorchSequence(model.newCache(1, capacity), capacity, model.vocabSize());
    }

    @Override
    public void forward(Batch batch) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int entry = 0; entry < batch.size(); entry++) {
                run(batch, entry);
            }
        }
    }

    private void run(Batch batch, int entry) {
        TorchSequence row = (TorchSequence) batch.sequence(entry);
        int steps = batch.length(entry);
        row.checkRoom(steps);
        long[] ids = new long[steps];
        long[] positions = new long[steps];
        for (int i = 0; i < steps; i++) {
            ids[i] = batch.token(entry, i);
            positions[i] = row.length() + i;
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor input = Tensors.longs(ids, model.device(), 1, steps);
            Tensor position = Tensors.longs(positions, model.device(), 1, steps);
            switch (batch.output(entry)) {
                case NONE -> model.hiddenStates(input, position, null, row.cache, true);
                case LAST_LOGITS -> copy(model.forward(input, position, null, row.cache, true), row.logits);
                case ALL_LOGITS -> copy(model.forward(input, position, null, row.cache, false), batch.destination(entry));
                case LAST_HIDDEN -> copy(model.hiddenStates(input, position, null, row.cache, true), batch.destination(entry));
            }
        }
    }

    private static void copy(Tensor values, float[] destination) {
        float[] floats = Tensors.toFloats(values);
        System.arraycopy(floats, 0, destination, 0, floats.length);
    }

    @Override
    public String description() {
        return "libtorch (" + model.precision().torchDtype() + " on " + model.device().str().getString() + ")";
    }

    @Override
    public void close() {
        // the model's tensors belong to whoever loaded it (training keeps using them)
    }

    private static final class TorchSequence implements Sequence {
        private final KvCache cache;
        private final int capacity;
        private final float[] logits;
        private boolean closed;

        TorchSequence(KvCache cache, int capacity, int vocab) {
            this.cache = cache;
            this.capacity = capacity;
            this.logits = new float[vocab];
        }

        void checkRoom(int steps) {
            Capacity.check(closed, length(), steps, capacity);
        }

        @Override
        public int length() {
            return cache.length();
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public float[] logits() {
            return logits;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                cache.close();
            }
        }
    }
}
