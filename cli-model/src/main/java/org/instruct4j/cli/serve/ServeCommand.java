package org.instruct4j.cli.serve;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.instruct4j.cli.Reads;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.serve.LocalModel;
import org.instruct4j.serve.http.OpenAiServer;
import org.instruct4j.serve.http.ServeOptions;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.cli.ModelRuntimeOptions;
import org.instruct4j.cli.model.Inference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code instruct4j serve}: a local model behind an OpenAI-compatible HTTP API until SIGINT/SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a local model behind OpenAI's API: /v1/models, /v1/chat/completions (streaming too), /v1/completions.",
            "Requests join and leave one running batch at every step (continuous batching); /health and Prometheus /metrics too.",
            "Ctrl-C (SIGINT/SIGTERM) finishes the requests in flight, then stops."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model directory, or a llama2.c .bin checkpoint with --tokenizer.")
    Path model;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c .bin checkpoint.")
    Path tokenizer;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "fp32|bf16", description = "Precision (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Mixin
    EngineOptions engineOptions;

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

    @Option(names = "--max-batch", defaultValue = "32", paramLabel = "N",
            description = "Most rows (choices of requests) in the running batch (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-batch-tokens", defaultValue = "65536", paramLabel = "N",
            description = "Most tokens the running rows' KV caches hold together; each row reserves its prompt plus its max_tokens (default: ${DEFAULT-VALUE}).")
    int maxBatchTokens;

    @Option(names = "--prefill-chunk", defaultValue = "512", paramLabel = "N",
            description = "Most prompt tokens read in one step, so long prompts do not stall the decoding rows (default: ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = "--max-queue", defaultValue = "256", paramLabel = "N",
            description = "Most requests waiting beyond the free rows; past it requests get 429 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--prefix-cache-mb", defaultValue = "256", paramLabel = "MB",
            description = "Memory for keys and values of prompts already read, so requests that begin the same way (a template, a "
                    + "system prompt, earlier turns) skip that part of their prefill; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long prefixCacheMb;

    @Option(names = "--default-max-tokens", defaultValue = "256", paramLabel = "N",
            description = "Tokens generated when a request sets no max_tokens (default: ${DEFAULT-VALUE}).")
    int defaultMaxTokens;

    @Option(names = "--max-tokens-limit", defaultValue = "2048", paramLabel = "N",
            description = "Largest max_tokens a request may ask for (default: ${DEFAULT-VALUE}).")
    int maxTokensLimit;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", paramLabel = "N",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Mixin
    ModelRuntimeOptions runtime;

    @Override
    public Integer call() throws InterruptedException {
        PromptFormat format = promptFormat != null ? PromptFormat.parse(promptFormat) : PromptFormat.defaultFor(model);
        SchedulerOptions scheduling = schedulerOptions();
        ApiKey key = apiKeyEnv == null ? null : ApiKey.fromEnvironment(apiKeyEnv);
        String id = modelId != null ? modelId : model.toAbsolutePath().normalize().getFileName().toString();
        ServeOptions options = new ServeOptions(host, port, id, key, defaultMaxTokens, maxTokensLimit, maxBodyBytes);
        InferenceModel loaded = ModelDirectory.openForInference(model, tokenizer, Inference.options(runtime, engineOptions, dtype));
        LocalModel local = LocalModel.start(loaded, scheduling);
        OpenAiServer server = OpenAiServer.start(local, ModelPrompt.of(format, model, tokenizer, loaded.tokenizer()), options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("instruct4j serve: finishing " + server.inFlight() + " requests in flight, then stopping");
            server.close();
            local.close();
            stopped.countDown();
        }));
        var err = spec.commandLine().getErr();
        err.printf("instruct4j serve: model '%s' at %s (%s; %s prompts; up to %d rows holding %d tokens, %d more requests queued; %s%s)%n",
                id, server.baseUrl(), loaded.engine().description(), format.id(), maxBatch, maxBatchTokens, maxQueue,
                prefixCacheMb == 0 ? "no prefix cache" : loaded.engine().copiesKv() ? "prefix cache " + prefixCacheMb + " MB"
                        : "no prefix cache (this engine cannot copy keys and values)",
                key == null ? "; no API key required" : "; bearer key from $" + apiKeyEnv);
        err.flush();
        stopped.await();
        return 0;
    }

    private SchedulerOptions schedulerOptions() {
        try {
            return new SchedulerOptions(maxBatch, maxBatchTokens, prefillChunk, maxQueue, prefixCacheMb << 20);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--max-batch, --max-batch-tokens and --prefill-chunk must be at least 1, and --max-queue and "
                    + "--prefix-cache-mb at least 0");
        }
    }
}
