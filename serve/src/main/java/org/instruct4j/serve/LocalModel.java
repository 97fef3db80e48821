package org.instruct4j.serve;

import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.serve.schedule.GenerationQueue;
import org.instruct4j.serve.schedule.Scheduler;
import org.instruct4j.serve.schedule.SchedulerOptions;

/**
 * A local model ready to answer requests: the queue its jobs go through, the model (engine and tokenizer), and its
 * sampling defaults. Closing it finishes the queued jobs, then closes the model.
 */
public record LocalModel(GenerationQueue queue, InferenceModel model, SamplingDefaults defaults) implements AutoCloseable {

    /** {@code model} behind a continuous-batching {@link Scheduler} on its engine. */
    public static LocalModel start(InferenceModel model, SchedulerOptions options) {
        return new LocalModel(new Scheduler(model.engine(), model.tokenizer(), options), model, SamplingDefaults.of(model.source()));
    }

    public Tokenizer tokenizer() {
        return model.tokenizer();
    }

    @Override
    public void close() {
        queue.close();
        model.close();
    }
}
