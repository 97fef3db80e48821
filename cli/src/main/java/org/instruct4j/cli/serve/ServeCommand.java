package org.instruct4j.cli.serve;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.serve.LocalEngine;
import org.instruct4j.serve.http.OpenAiServer;
import org.instruct4j.serve.http.ServeOptions;
import org.instruct4j.teacher.client.ApiKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code instruct4j serve}: a local model behind an OpenAI-compatible HTTP API until SIGINT/SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a local model behind OpenAI's API: /v1/models, /v1/chat/completions (streaming too), /v1/completions.",
            "Concurrent requests are generated together in batches. Ctrl-C (SIGINT/SIGTERM) finishes the requests in flight, then stops."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model directory, or a llama2.c .bin checkpoint with --tokenizer.")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c .bin checkpoint.")
    Path tokenizer;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "fp32|bf16", description = "Precision (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--model-id", paramLabel = "NAME", description = "The model name clients send (default: the directory or file name).")
    String modelId;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--api-key-env", paramLabel = "NAME",
            description = "Require 'Authorization: Bearer <key>' with the key held in this environment variable.")
    String apiKeyEnv;

    @Option(names = "--prompt-format", paramLabel = "alpaca|chat|raw",
            description = "How chat messages become the prompt: alpaca (the paper's template), chat (the model's chat_template) or raw "
                    + "(the texts joined) (default: the format the model was trained with, else chat when it has a chat_template, "
                    + "else alpaca).")
    String promptFormat;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "N",
            description = "Most requests generated together (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--default-max-tokens", defaultValue = "256", paramLabel = "N",
            description = "Tokens generated when a request sets no max_tokens (default: ${DEFAULT-VALUE}).")
    int defaultMaxTokens;

    @Option(names = "--max-tokens-limit", defaultValue = "2048", paramLabel = "N",
            description = "Largest max_tokens a request may ask for (default: ${DEFAULT-VALUE}).")
    int maxTokensLimit;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", paramLabel = "N",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Override
    public Integer call() throws InterruptedException {
        PromptFormat format = promptFormat != null ? PromptFormat.parse(promptFormat) : PromptFormat.defaultFor(model);
        ApiKey key = apiKeyEnv == null ? null : ApiKey.fromEnvironment(apiKeyEnv);
        String id = modelId != null ? modelId : model.toAbsolutePath().normalize().getFileName().toString();
        ServeOptions options = new ServeOptions(host, port, id, key, defaultMaxTokens, maxTokensLimit, maxBodyBytes);
        LoadedModel loaded = ModelDirectory.open(model, tokenizer, Precision.parse(dtype));
        LocalEngine engine = new LocalEngine(loaded, maxBatch);
        OpenAiServer server = OpenAiServer.start(engine, ModelPrompt.of(format, model, tokenizer, loaded.tokenizer()), options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("instruct4j serve: finishing " + server.inFlight() + " requests in flight, then stopping");
            server.close();
            engine.close();
            stopped.countDown();
        }));
        var err = spec.commandLine().getErr();
        err.printf("instruct4j serve: model '%s' at %s (%s, %s prompts, batches of up to %d%s)%n", id, server.baseUrl(), dtype,
                format.id(), maxBatch,
                key == null ? ", no API key required" : ", bearer key from $" + apiKeyEnv);
        err.flush();
        stopped.await();
        return 0;
    }
}
