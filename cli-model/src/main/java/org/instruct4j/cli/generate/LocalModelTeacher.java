package org.instruct4j.cli.generate;

import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.tensor.Devices;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.serve.LocalChatClient;
import org.instruct4j.serve.LocalEngine;
import org.instruct4j.serve.PromptFormat;
import org.instruct4j.teacher.client.ChatClient;

/** {@code --local-model}: the model loaded onto the chosen device, batched behind the chat-client interface. */
public final class LocalModelTeacher implements LocalTeacher {
    @Override
    public ChatClient open(Settings settings) {
        PromptFormat format = PromptFormat.parse(settings.format());
        Devices.use(settings.device());
        LoadedModel loaded = ModelDirectory.open(settings.model(), settings.tokenizer(), Precision.parse(settings.dtype()));
        String name = settings.model().toAbsolutePath().normalize().getFileName().toString();
        return new LocalChatClient(new LocalEngine(loaded, settings.batchSize()), format, name, settings.seed());
    }
}
