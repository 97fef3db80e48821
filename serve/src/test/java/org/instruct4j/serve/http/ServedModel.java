package org.instruct4j.serve.http;

import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.serve.LocalModel;
import org.instruct4j.serve.schedule.Scheduler;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.testkit.SharedData;

/** The real stories260K model served on a free port of 127.0.0.1 with a bearer key, for the server tests. */
final class ServedModel implements AutoCloseable {
    static final String KEY = "sk-serve-test-0d9c8b7a6f5e4d3c2b1a";
    static final String MODEL_ID = "stories260K";

    final InferenceModel model;
    final LocalModel local;
    final Scheduler scheduler;
    final OpenAiServer server;

    ServedModel(long maxBodyBytes, SchedulerOptions options) {
        this(maxBodyBytes, options, 0);
    }

    /** With every decoding step lasting at least {@code stepNanos} (see {@link PacedEngine}). */
    ServedModel(long maxBodyBytes, SchedulerOptions options, long stepNanos) {
        InferenceModel loaded = ModelDirectory.openForInference(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), InferenceOptions.defaults());
        model = stepNanos == 0 ? loaded : new InferenceModel(new PacedEngine(loaded.engine(), stepNanos), loaded.tokenizer(),
                loaded.defaults(), loaded.source());
        local = LocalModel.start(model, options);
        scheduler = (Scheduler) local.queue();
        server = OpenAiServer.start(local, ModelPrompt.of(PromptFormat.RAW, model),
                new ServeOptions("127.0.0.1", 0, MODEL_ID, ApiKey.of("SERVE_TEST_KEY", KEY), 64, 256, maxBodyBytes));
    }

    ServedModel() {
        this(1 << 20, SchedulerOptions.defaults().withMaxRows(8));
    }

    @Override
    public void close() {
        server.close();
        local.close();
    }
}
