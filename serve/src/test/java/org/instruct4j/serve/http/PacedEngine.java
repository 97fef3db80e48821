package org.instruct4j.serve.http;

import java.util.concurrent.locks.LockSupport;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.Sequence;

/**
 * The real engine, each step lasting at least {@code stepNanos}: stories260K decodes 250 tokens in a few
 * milliseconds on an idle machine, before a test client has even closed its socket, so the tests that cut a
 * stream mid-generation slow the steps down to make "mid-generation" last.
 */
record PacedEngine(InferenceEngine engine, long stepNanos) implements InferenceEngine {
    @Override
    public int vocabSize() {
        return engine.vocabSize();
    }

    @Override
    public int hiddenSize() {
        return engine.hiddenSize();
    }

    @Override
    public int maxPositions() {
        return engine.maxPositions();
    }

    @Override
    public Sequence newSequence(int capacity) {
        return engine.newSequence(capacity);
    }

    @Override
    public void forward(Batch batch) {
        long end = System.nanoTime() + stepNanos;
        engine.forward(batch);
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    @Override
    public String description() {
        return engine.description() + ", paced";
    }

    @Override
    public void close() {
        engine.close();
    }
}
