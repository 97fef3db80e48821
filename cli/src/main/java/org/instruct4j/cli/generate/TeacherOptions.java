package org.instruct4j.cli.generate;

import java.nio.file.Path;
import java.time.Duration;
import org.instruct4j.teacher.batch.BatchOptions;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.serve.LocalChatClient;
import org.instruct4j.serve.LocalEngine;
import org.instruct4j.serve.PromptFormat;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.teacher.client.ChatClient;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.usage.PriceTable;
import picocli.CommandLine.Option;

/** Options every command that calls a teacher shares: endpoint, key, limits, retries, resume, prices. */
public final class TeacherOptions {
    @Option(names = "--base-url", paramLabel = "URL",
            description = "OpenAI-compatible API base URL (default: $OPENAI_BASE_URL, else https://api.openai.com/v1).")
    String baseUrl;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "gpt-4", description = "Teacher model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--api-key-env", paramLabel = "NAME", defaultValue = "OPENAI_API_KEY",
            description = "Environment variable holding the API key (default: ${DEFAULT-VALUE}). The key is never logged or stored.")
    String apiKeyEnv;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rpm", paramLabel = "N", defaultValue = "0", description = "Client-side limit, requests per minute (0 = none).")
    double rpm;

    @Option(names = "--tpm", paramLabel = "N", defaultValue = "0",
            description = "Client-side limit, tokens per minute (prompt estimate + max_tokens, corrected by reported usage; 0 = none).")
    double tpm;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "120", description = "Timeout of one request (default: ${DEFAULT-VALUE}).")
    double requestTimeoutSeconds;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "6",
            description = "Attempts per request before it is recorded as failed (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--prices", paramLabel = "FILE",
            description = "JSON price table overriding the built-in one: {\"model\": {\"input\": USD per 1M tokens, \"output\": USD per 1M}}.")
    Path prices;

    @Option(names = "--retry-failed", description = "Retry the rows recorded in O.failures.jsonl by an earlier run.")
    boolean retryFailed;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--local-model", paramLabel = "DIR",
            description = "Answer with a local model instead of an API: a Hugging Face model directory, or a llama2.c .bin with --local-tokenizer.")
    Path localModel;

    @Option(names = "--local-tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c --local-model checkpoint.")
    Path localTokenizer;

    @Option(names = "--local-dtype", paramLabel = "fp32|bf16", defaultValue = "fp32",
            description = "Precision of the local model (default: ${DEFAULT-VALUE}; bf16 is about twice as fast on CPU).")
    String localDtype;

    @Option(names = "--local-batch-size", paramLabel = "N", defaultValue = "8",
            description = "Concurrent requests the local model generates together (default: ${DEFAULT-VALUE}).")
    int localBatchSize;

    @Option(names = "--local-format", paramLabel = "alpaca|raw", defaultValue = "alpaca",
            description = "How messages become the local model's prompt (default: ${DEFAULT-VALUE}).")
    String localFormat;

    @Option(names = "--local-seed", paramLabel = "N", defaultValue = "0", description = "Sampling seed of the local model (default: ${DEFAULT-VALUE}).")
    long localSeed;

    @Option(names = "--batch-api",
            description = "Send the requests through the OpenAI Batch API (half the price, results within 24 h). Batch ids are kept in O.batches.json, so rerunning the command picks up the batches already submitted.")
    boolean batchApi;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "30",
            description = "With --batch-api: seconds between polls of the open batches (default: ${DEFAULT-VALUE}).")
    double pollIntervalSeconds;

    /** The local model's directory (or checkpoint), when --local-model is given. */
    public Path localModel() {
        return localModel;
    }

    /** The teacher: an OpenAI-compatible endpoint, or the local model given with --local-model. */
    public ChatClient client() {
        if (localModel == null) {
            return openAiClient();
        }
        if (batchApi) {
            throw new IllegalArgumentException("--batch-api needs an API endpoint; it cannot be used with --local-model");
        }
        PromptFormat format = PromptFormat.parse(localFormat);
        if (localTokenizer == null && java.nio.file.Files.isRegularFile(localModel)) {
            throw new IllegalArgumentException("--local-model " + localModel + " is a llama2.c checkpoint: give its --local-tokenizer");
        }
        LoadedModel loaded = ModelDirectory.open(localModel, localTokenizer, Precision.parse(localDtype));
        String name = localModel.toAbsolutePath().normalize().getFileName().toString();
        return new LocalChatClient(new LocalEngine(loaded, localBatchSize), format, name, localSeed);
    }

    /** The OpenAI-compatible endpoint (for --batch-api, which needs its Files and Batches endpoints). */
    public OpenAiChatClient openAiClient() {
        return new OpenAiChatClient(resolvedBaseUrl(), apiKey(), requestTimeout());
    }

    public String resolvedBaseUrl() {
        if (baseUrl != null && !baseUrl.isBlank()) {
            return baseUrl;
        }
        String fromEnv = System.getenv("OPENAI_BASE_URL");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : OpenAiChatClient.DEFAULT_BASE_URL;
    }

    public ApiKey apiKey() {
        return ApiKey.fromEnvironment(apiKeyEnv);
    }

    public Duration requestTimeout() {
        if (requestTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("--request-timeout must be positive");
        }
        return Duration.ofMillis((long) (requestTimeoutSeconds * 1000));
    }

    public JobOptions jobOptions() {
        return new JobOptions(concurrency, rpm, tpm,
                new RetryPolicy(maxAttempts, RetryPolicy.DEFAULT.baseDelay(), RetryPolicy.DEFAULT.maxDelay()), retryFailed, quiet);
    }

    public BatchOptions batchOptions() {
        if (pollIntervalSeconds <= 0) {
            throw new IllegalArgumentException("--poll-interval must be positive");
        }
        return BatchOptions.defaults(jobOptions().retry(), retryFailed, quiet)
                .withPollInterval(Duration.ofMillis((long) (pollIntervalSeconds * 1000)));
    }

    public PriceTable priceTable() {
        if (localModel != null) {
            return PriceTable.free();
        }
        PriceTable table = PriceTable.defaults();
        return prices == null ? table : table.withOverrides(prices);
    }

    public String model() {
        return model;
    }
}
