package org.instruct4j.serve;

import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.engine.TorchEngine;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.serve.schedule.GenerationQueue;
import org.instruct4j.serve.schedule.Scheduler;
import org.instruct4j.serve.schedule.SchedulerOptions;

/**
 * A local model ready to answer requests: the queue its jobs go through, its tokenizer, and its sampling defaults.
 * Closing it finishes the queued jobs, then stops.
 */
public record LocalModel(GenerationQueue queue, Tokenizer tokenizer, SamplingDefaults defaults) implements AutoCloseable {

    /** {@code loaded} behind a continuous-batching {@link Scheduler}. */
    public static LocalModel start(LoadedModel loaded, SchedulerOptions options) {
        Scheduler scheduler = new Scheduler(new TorchEngine(loaded.model()), loaded.tokenizer(), options);
        return new LocalModel(scheduler, loaded.tokenizer(), SamplingDefaults.of(loaded.source()));
    }

    @Override
    public void close() {
        queue.close();
    }
}
