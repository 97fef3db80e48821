package org.instruct4j.cli.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import org.instruct4j.cli.Reads;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.usage.PriceTable;
import picocli.CommandLine.Option;

/**
 * Options of a teacher behind an OpenAI-compatible API: endpoint, key, limits, retries, resume, prices. Shared by
 * the single-machine commands ({@link TeacherOptions} adds local models and the Batch API) and the Spark jobs.
 */
public class ApiTeacherOptions {
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

    @Reads
    @Option(names = "--prices", paramLabel = "FILE",
            description = "JSON price table overriding the built-in one: {\"model\": {\"input\": USD per 1M tokens, \"output\": USD per 1M}}.")
    Path prices;

    @Option(names = "--retry-failed", description = "Retry the rows an earlier run recorded as failed (O.failures.jsonl; a Spark job's O.failures directory).")
    boolean retryFailed;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** The OpenAI-compatible endpoint. */
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

    /** The name of the environment variable holding the key (never its value). */
    public String apiKeyEnv() {
        return apiKeyEnv;
    }

    public Duration requestTimeout() {
        if (requestTimeoutSeconds <= 0) {
            throw new BadInputException("--request-timeout must be positive");
        }
        return Duration.ofMillis((long) (requestTimeoutSeconds * 1000));
    }

    public JobOptions jobOptions() {
        return new JobOptions(concurrency, rpm, tpm,
                new RetryPolicy(maxAttempts, RetryPolicy.DEFAULT.baseDelay(), RetryPolicy.DEFAULT.maxDelay()), retryFailed, quiet);
    }

    public PriceTable priceTable() {
        PriceTable table = PriceTable.defaults();
        return prices == null ? table : table.withOverrides(prices);
    }

    public String model() {
        return model;
    }

    /** The settings block of the run metadata for an API teacher: everything needed to reproduce the run, no secrets. */
    public ObjectNode settings(Sampling sampling) {
        ObjectNode settings = Json.object();
        settings.put("model", model);
        settings.put("base_url", OpenAiChatClient.withoutCredentials(resolvedBaseUrl()));
        settings.put("api_key_env", apiKeyEnv);
        settings.put("temperature", sampling.temperature());
        settings.put("top_p", sampling.topP());
        settings.put("max_tokens", sampling.maxTokens());
        settings.put("concurrency", concurrency);
        settings.put("rpm", rpm);
        settings.put("tpm", tpm);
        return settings;
    }
}
