package org.instruct4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchError;
import com.openai.models.batches.BatchListParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchesSdkTest {
    private final FakeOpenAiServer server = new FakeOpenAiServer().start();
    private final OpenAIClient client = SdkClients.of(server);
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        server.close();
    }

    private static String request(String customId, String prompt) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("custom_id", customId);
        line.put("method", "POST");
        line.put("url", "/v1/chat/completions");
        ObjectNode body = line.putObject("body");
        body.put("model", "gpt-4");
        body.put("max_tokens", 512);
        ObjectNode message = body.putArray("messages").addObject();
        message.put("role", "user");
        message.put("content", prompt);
        return Json.write(line);
    }

    private static List<String> requests(int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(request("row-" + i, "Instruction number " + i));
        }
        return lines;
    }

    private FileObject upload(List<String> lines) throws IOException {
        Path file = Files.writeString(dir.resolve("batch-" + System.nanoTime() + ".jsonl"),
                String.join("\n", lines) + "\n");
        return client.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
    }

    private Batch create(List<String> lines) throws IOException {
        return client.batches().create(BatchCreateParams.builder()
                .inputFileId(upload(lines).id())
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .metadata(BatchCreateParams.Metadata.builder().putAdditionalProperty("part", JsonValue.from("1")).build())
                .build());
    }

    private Batch retrieve(Batch batch) {
        Batch retrieved = client.batches().retrieve(batch.id());
        retrieved.validate();
        return retrieved;
    }

    private List<JsonNode> download(String fileId) throws IOException {
        try (HttpResponse response = client.files().content(fileId)) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : new String(response.body().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                lines.add(Json.MAPPER.readTree(line));
            }
            return lines;
        }
    }

    private static Map<String, JsonNode> byCustomId(List<JsonNode> lines) {
        Map<String, JsonNode> map = new HashMap<>();
        lines.forEach(line -> map.put(line.get("custom_id").asText(), line));
        return map;
    }

    @Test
    void aBatchAdvancesStageByStageAndAnswersEveryRequest() throws Exception {
        Batch created = create(requests(5));

        created.validate();
        assertThat(created.status()).isEqualTo(Batch.Status.VALIDATING);
        assertThat(created.metadata().orElseThrow()._additionalProperties()).containsEntry("part", JsonValue.from("1"));
        assertThat(retrieve(created).status()).isEqualTo(Batch.Status.IN_PROGRESS);
        assertThat(server.log().batchRequests()).isZero();
        Batch finalizing = retrieve(created);
        assertThat(finalizing.status()).isEqualTo(Batch.Status.FINALIZING);
        assertThat(finalizing.outputFileId()).isEmpty();
        Batch completed = retrieve(created);
        assertThat(completed.status()).isEqualTo(Batch.Status.COMPLETED);
        assertThat(completed.requestCounts().orElseThrow().total()).isEqualTo(5);
        assertThat(completed.requestCounts().orElseThrow().completed()).isEqualTo(5);
        assertThat(completed.requestCounts().orElseThrow().failed()).isZero();
        assertThat(completed.errorFileId()).isEmpty();
        assertThat(completed.model()).contains("gpt-4");
        assertThat(completed.inProgressAt()).isPresent();
        assertThat(completed.completedAt()).isPresent();
        assertThat(retrieve(created)).isEqualTo(completed);

        Map<String, JsonNode> output = byCustomId(download(completed.outputFileId().orElseThrow()));
        assertThat(output).hasSize(5);
        for (int i = 0; i < 5; i++) {
            JsonNode line = output.get("row-" + i);
            assertThat(line.get("error").isNull()).isTrue();
            assertThat(line.path("response").path("status_code").asInt()).isEqualTo(200);
            ChatCompletion body = ObjectMappers.jsonMapper()
                    .treeToValue(line.path("response").path("body"), ChatCompletion.class);
            body.validate();
            assertThat(body.choices().getFirst().message().content())
                    .contains(DeterministicResponder.answer("gpt-4", "Instruction number " + i));
        }
        assertThat(server.log().batchRequests()).isEqualTo(5);
        assertThat(server.log().timesAnswered("Instruction number 3")).isEqualTo(1);
        assertThat(server.log().batchesCreated()).isEqualTo(1);
        assertThat(server.files().find(completed.outputFileId().orElseThrow()).orElseThrow().purpose())
                .isEqualTo("batch_output");
    }

    @Test
    void failedRequestsGoToTheErrorFile() throws Exception {
        server.batches().pollsPerStage(0).failCustomIds("row-1");
        server.faults().failWhenPromptContains("number 2", 1, Fault.rateLimited(1))
                .failWhenPromptContains("number 3", 1, Fault.truncated())
                .failWhenPromptContains("number 4", 1, Fault.hang(java.time.Duration.ofSeconds(30)));
        List<String> lines = requests(5);
        lines.add(request("bad-body", "x").replace("\"messages\"", "\"massages\""));

        Batch done = retrieve(create(lines));

        assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
        assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(2);
        assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(4);
        Map<String, JsonNode> output = byCustomId(download(done.outputFileId().orElseThrow()));
        Map<String, JsonNode> errors = byCustomId(download(done.errorFileId().orElseThrow()));
        assertThat(output).containsOnlyKeys("row-0", "row-3");
        assertThat(output.get("row-3").at("/response/body/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(errors).containsOnlyKeys("row-1", "row-2", "row-4", "bad-body");
        assertThat(errors.get("row-1").at("/response/status_code").asInt()).isEqualTo(500);
        assertThat(errors.get("row-2").at("/response/status_code").asInt()).isEqualTo(429);
        assertThat(errors.get("row-2").at("/response/body/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(errors.get("row-4").get("response").isNull()).isTrue();
        assertThat(errors.get("row-4").at("/error/code").asText()).isEqualTo("request_timeout");
        assertThat(errors.get("bad-body").at("/response/status_code").asInt()).isEqualTo(400);
        assertThat(errors.get("bad-body").at("/response/body/error/param").asText()).isEqualTo("messages");
    }

    @Test
    void anInvalidInputFileFailsTheBatchNamingEachLine() throws Exception {
        server.batches().pollsPerStage(0);
        List<String> lines = requests(3);
        lines.add(request("row-1", "again"));
        lines.add("{\"custom_id\": \"row-9\", ");
        lines.add(request("row-10", "x").replace("/v1/chat/completions", "/v1/embeddings"));

        Batch failed = retrieve(create(lines));

        assertThat(failed.status()).isEqualTo(Batch.Status.FAILED);
        assertThat(failed.failedAt()).isPresent();
        assertThat(failed.outputFileId()).isEmpty();
        List<BatchError> errors = failed.errors().orElseThrow().data().orElseThrow();
        assertThat(errors).extracting(e -> e.code().orElseThrow(), e -> e.line().orElseThrow())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("duplicate_custom_id", 4L),
                        org.assertj.core.groups.Tuple.tuple("invalid_json_line", 5L),
                        org.assertj.core.groups.Tuple.tuple("invalid_url", 6L));
        assertThat(server.log().batchRequests()).isZero();
    }

    @Test
    void aBatchCanBeCancelledBeforeItRuns() throws Exception {
        Batch created = create(requests(3));

        Batch cancelling = client.batches().cancel(created.id());

        cancelling.validate();
        assertThat(cancelling.status()).isEqualTo(Batch.Status.CANCELLING);
        Batch cancelled = retrieve(created);
        assertThat(cancelled.status()).isEqualTo(Batch.Status.CANCELLED);
        assertThat(cancelled.cancelledAt()).isPresent();
        assertThat(server.log().batchRequests()).isZero();
        assertThat(server.batches().status(created.id())).contains("cancelled");
    }

    @Test
    void aScriptedBatchExpiresHalfDoneOrFails() throws Exception {
        server.batches().pollsPerStage(0).expireNext(1).failNext(1);

        Batch failed = retrieve(create(requests(4)));
        Batch expired = retrieve(create(requests(4)));
        Batch normal = retrieve(create(requests(4)));

        assertThat(failed.status()).isEqualTo(Batch.Status.FAILED);
        assertThat(expired.status()).isEqualTo(Batch.Status.EXPIRED);
        assertThat(expired.expiredAt()).isPresent();
        assertThat(byCustomId(download(expired.outputFileId().orElseThrow()))).containsOnlyKeys("row-0", "row-1");
        Map<String, JsonNode> errors = byCustomId(download(expired.errorFileId().orElseThrow()));
        assertThat(errors).containsOnlyKeys("row-2", "row-3");
        assertThat(errors.get("row-2").at("/error/code").asText()).isEqualTo("batch_expired");
        assertThat(normal.status()).isEqualTo(Batch.Status.COMPLETED);
    }

    @Test
    void batchesAreListedNewestFirstPageByPage() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create(requests(1)).id());
        }

        var firstPage = client.batches().list(BatchListParams.builder().limit(2).build());

        firstPage.response().validate();
        assertThat(firstPage.data()).extracting(Batch::id).containsExactly(ids.get(2), ids.get(1));
        assertThat(firstPage.hasMore()).contains(true);
        List<String> all = new ArrayList<>();
        firstPage.autoPager().forEach(batch -> all.add(batch.id()));
        assertThat(all).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(server.log().batchesCreated()).isEqualTo(3);
        assertThat(server.batches().ids()).isEqualTo(ids);
    }

    @Test
    void aBatchNeedsABatchPurposeFile() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.jsonl"), request("a", "b") + "\n");
        FileObject notes = client.files().create(
                FileCreateParams.builder().file(file).purpose(FilePurpose.USER_DATA).build());

        assertThatThrownBy(() -> client.batches().create(BatchCreateParams.builder()
                .inputFileId(notes.id())
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.param()).contains("input_file_id"));
        assertThat(server.log().batchesCreated()).isZero();
    }
}
