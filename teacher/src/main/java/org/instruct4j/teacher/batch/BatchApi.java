package org.instruct4j.teacher.batch;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchListParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import com.openai.services.blocking.FileService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.limits.RetryPolicy;

/**
 * The Files and Batches calls of a Batch API job, through the official SDK, each retried with backoff
 * on transient errors (429, 5xx, timeouts, dropped connections). Error messages never contain the key.
 */
final class BatchApi {
    /** Metadata key holding the SHA-256 of a batch's input file, to recognise a batch already created. */
    static final String DIGEST_KEY = "instruct4j_digest";
    /** Uploading or downloading a file of up to 200 MB takes longer than one chat request. */
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(10);
    /** How far the server's clock may be behind ours when looking for batches created since an upload. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final long LIST_PAGE_SIZE = 100;
    /** Statuses of a server that has no batch listing. */
    private static final Set<Integer> LISTING_UNSUPPORTED = Set.of(404, 405, 501);

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private final OpenAIClient sdk;
    private final FileService files;
    private final ApiKey key;
    private final RetryPolicy retry;
    private long retries;

    BatchApi(OpenAiChatClient client, RetryPolicy retry) {
        this.sdk = client.sdk();
        this.files = sdk.files().withOptions(options -> options.timeout(TRANSFER_TIMEOUT));
        this.key = client.key();
        this.retry = retry;
    }

    /** Uploads a batch input file under {@code filename}; returns its file id. */
    String upload(Path file, String filename) throws TeacherException, InterruptedException {
        return call("cannot upload " + filename, () -> {
            try (InputStream content = Files.newInputStream(file)) {
                return files.create(FileCreateParams.builder()
                        .file(MultipartField.<InputStream>builder().value(content).filename(filename).build())
                        .purpose(FilePurpose.BATCH)
                        .build()).id();
            }
        });
    }

    /** Creates the batch for an uploaded input file, tagged with {@code metadata}. */
    Batch create(String inputFileId, Map<String, String> metadata) throws TeacherException, InterruptedException {
        return call("cannot create the batch for " + inputFileId, () -> {
            BatchCreateParams.Metadata.Builder tags = BatchCreateParams.Metadata.builder();
            metadata.forEach((name, value) -> tags.putAdditionalProperty(name, JsonValue.from(value)));
            return sdk.batches().create(BatchCreateParams.builder()
                    .inputFileId(inputFileId)
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                    .completionWindow(BatchCreateParams.CompletionWindow._24H)
                    .metadata(tags.build())
                    .build());
        });
    }

    /**
     * A batch created from {@code inputFileId} (or carrying its content {@code digest}) since {@code since} that the job
     * does not track yet ({@code known}): one a process created but was stopped before recording. Only a cross-check
     * for that rare case, so it is empty when the server cannot list batches (many OpenAI-compatible ones answer
     * {@code GET /v1/batches} with 404): the ids recorded beside the output are what the job relies on.
     */
    Optional<Batch> findUnrecorded(String inputFileId, String digest, Set<String> known, Instant since)
            throws TeacherException, InterruptedException {
        long oldest = since.minus(CLOCK_SKEW).getEpochSecond();
        return call("cannot list the batches", () -> {
            try {
                for (Batch batch : sdk.batches().list(BatchListParams.builder().limit(LIST_PAGE_SIZE).build()).autoPager()) {
                    if (batch.createdAt() < oldest) {
                        break;
                    }
                    if (!known.contains(batch.id())
                            && (inputFileId.equals(batch.inputFileId()) || digest.equals(metadata(batch, DIGEST_KEY)))) {
                        return Optional.of(batch);
                    }
                }
                return Optional.empty();
            } catch (OpenAIServiceException e) {
                if (LISTING_UNSUPPORTED.contains(e.statusCode())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private static String metadata(Batch batch, String name) {
        // JsonValue extends the raw JsonField, so asString() is an untyped Optional here.
        Object value = batch.metadata()
                .map(m -> m._additionalProperties().get(name))
                .map(v -> v.asString().orElse(null))
                .orElse(null);
        return value instanceof String text ? text : null;
    }

    Batch retrieve(String batchId) throws TeacherException, InterruptedException {
        return call("cannot poll batch " + batchId, () -> sdk.batches().retrieve(batchId));
    }

    /**
     * Streams a result file line by line to {@code lines}. A download cut off midway is started again
     * from the top, so {@code lines} must tolerate seeing a line twice.
     */
    void download(String fileId, Consumer<String> lines) throws TeacherException, InterruptedException {
        call("cannot download " + fileId, () -> {
            try (HttpResponse response = files.content(fileId);
                    BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.isBlank()) {
                        lines.accept(line);
                    }
                }
            }
            return null;
        });
    }

    /** Calls that were retried after a transient error. */
    long retries() {
        return retries;
    }

    private <T> T call(String what, Call<T> call) throws TeacherException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            TeacherException failure;
            try {
                return call.run();
            } catch (OpenAIException e) {
                failure = OpenAiChatClient.classify(e, key);
            } catch (IOException e) {
                failure = TeacherException.retryable(key.redact("I/O error: " + e));
            }
            if (failure.kind() != TeacherException.Kind.RETRYABLE || !retry.canRetry(attempt)) {
                throw new TeacherException(failure.kind(), what + ": " + failure.getMessage(), null, failure);
            }
            retries++;
            Thread.sleep(retry.delay(attempt, failure.retryAfter(), ThreadLocalRandom.current()));
        }
    }
}
