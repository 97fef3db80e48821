package org.instruct4j.cli.generate;

import org.instruct4j.cli.model.Inference;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.serve.LocalChatClient;
import org.instruct4j.serve.LocalModel;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.teacher.client.ChatClient;

/** {@code --local-model}: the model on the chosen device and engine, its requests continuously batched. */
public final class LocalModelTeacher implements LocalTeacher {
    @Override
    public ChatClient open(Settings settings) {
        InferenceModel loaded = ModelDirectory.openForInference(settings.model(), settings.tokenizer(),
                Inference.options(settings.device(), settings.engine(), settings.dtype()));
        String name = settings.model().toAbsolutePath().normalize().getFileName().toString();
        return new LocalChatClient(LocalModel.start(loaded, SchedulerOptions.defaults().withMaxRows(settings.batchSize())),
                ModelPrompt.of(settings.format(), settings.model(), settings.tokenizer(), loaded.tokenizer()), name, settings.seed(),
                settings.truncatePrompts());
    }
}
