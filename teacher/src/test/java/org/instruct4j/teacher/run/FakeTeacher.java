package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import org.instruct4j.testkit.FakeOpenAiServer;

/**
 * The teacher of the tests: a {@link FakeOpenAiServer} on 127.0.0.1 that checks {@link #API_KEY}, and the real
 * {@link OpenAiChatClient} (the official SDK) pointed at it. Short retry delays keep fault tests fast.
 */
public final class FakeTeacher implements AutoCloseable {
    /** A key that looks real, so a test can find it if anything ever writes it down. */
    public static final String API_KEY = "sk-proj-T3stK3y9f8e7d6c5b4a3928171605f4e3d2c1b";
    public static final String KEY_VARIABLE = "INSTRUCT4J_TEST_KEY";
    public static final String MODEL = "gpt-4o-mini";
    public static final RetryPolicy FAST_RETRY = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(200));

    private final FakeOpenAiServer server;
    private final OpenAiChatClient client;

    private FakeTeacher(Duration requestTimeout) {
        this.server = new FakeOpenAiServer().apiKey(API_KEY).start();
        this.client = clientWithKey(API_KEY, requestTimeout);
    }

    public static FakeTeacher start() {
        return new FakeTeacher(Duration.ofSeconds(10));
    }

    /** A teacher whose client gives up on a request after {@code requestTimeout}. */
    public static FakeTeacher start(Duration requestTimeout) {
        return new FakeTeacher(requestTimeout);
    }

    public FakeOpenAiServer server() {
        return server;
    }

    public OpenAiChatClient client() {
        return client;
    }

    /** Another client of the same server, sending {@code key}. */
    public OpenAiChatClient clientWithKey(String key, Duration requestTimeout) {
        return new OpenAiChatClient(server.baseUrl(), ApiKey.of(KEY_VARIABLE, key), requestTimeout);
    }

    /** No client-side limits, fast retries, no progress bar. */
    public static JobOptions options(int concurrency) {
        return new JobOptions(concurrency, 0, 0, FAST_RETRY, false, true);
    }

    public static JobOptions retryingFailed(int concurrency) {
        return new JobOptions(concurrency, 0, 0, FAST_RETRY, true, true);
    }

    /** A caller with a fresh usage meter at list prices. */
    public TeacherCaller caller(JobOptions options) {
        return new TeacherCaller(client, options, new UsageMeter(PriceTable.defaults(), 1.0));
    }

    /** Runs {@code task} through a {@link JobRunner} on this teacher. */
    public <S> Run run(GenerationTask<S> task, JobFiles files, JobOptions options) {
        TeacherCaller caller = caller(options);
        JobResult result = new JobRunner(caller, options).run(task, files, settings());
        return new Run(result, caller.usage());
    }

    /** The settings block the CLI writes, with the key's variable name (never the key). */
    public static ObjectNode settings() {
        ObjectNode settings = Json.object();
        settings.put("model", MODEL);
        settings.put("api_key_env", KEY_VARIABLE);
        return settings;
    }

    /** What one run did and what it used. */
    public record Run(JobResult result, UsageMeter usage) {}

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
