package org.instruct4j.teacher.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.FakeTeacher;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobResult;
import org.instruct4j.teacher.run.NoSecrets;
import org.instruct4j.teacher.run.Questions;
import org.instruct4j.teacher.run.Rows;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;
import org.instruct4j.teacher.usage.CostGuard;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Batch API flow against a real HTTP server that implements Files and Batches: the rows equal what the live
 * runner writes, and a process stopped at any durable step and started again neither loses a request nor pays
 * for one twice.
 */
class BatchRunnerTest {
    @TempDir
    Path dir;

    private FakeTeacher teacher;
    private Path input;
    private Path output;
    private List<Questions.Question> questions;

    @BeforeEach
    void start() {
        teacher = FakeTeacher.start();
        teacher.server().batches().pollsPerStage(1);
        questions = Questions.make(25);
        input = Questions.write(dir.resolve("in.jsonl"), questions);
        output = dir.resolve("out.jsonl");
    }

    @AfterEach
    void stop() {
        teacher.close();
    }

    /** 10 requests per input file, so 25 rows make 3 batches; polls every 10 ms. */
    private BatchRunner runner(boolean retryFailed) {
        return new BatchRunner(teacher.client(), options(retryFailed), new UsageMeter(PriceTable.defaults(), 0.5));
    }

    private static BatchOptions options(boolean retryFailed) {
        return BatchOptions.defaults(FakeTeacher.FAST_RETRY, retryFailed, true)
                .withPollInterval(Duration.ofMillis(10)).withFileLimits(10, BatchOptions.MAX_BYTES_PER_FILE);
    }

    private JobResult run(BatchRunner runner) {
        AnswerTask task = new AnswerTask(InstructionInput.open(input, 0), FakeTeacher.MODEL, Sampling.PAPER_DEFAULTS, Language.EN);
        return runner.run(task, JobFiles.forOutput(output), FakeTeacher.settings());
    }

    private void assertEveryRowIsTheServersAnswer() {
        Map<String, ObjectNode> rows = Rows.byId(output);
        assertThat(rows).hasSize(questions.size());
        for (Questions.Question q : questions) {
            assertThat(rows.get(q.id()).get("output").asText()).as(q.id()).isEqualTo(q.answer());
            assertThat(rows.get(q.id()).get("instruction").asText()).isEqualTo(q.instruction());
        }
        assertThat(teacher.server().log().answeredMoreThanOnce()).as("requests paid twice").isEmpty();
    }

    @Test
    void answersEveryRowThroughBatchesAtHalfPrice() throws Exception {
        JobResult result = run(runner(false));
        assertThat(result.ok()).isTrue();
        assertThat(result.succeeded()).isEqualTo(25);
        assertEveryRowIsTheServersAnswer();
        assertThat(teacher.server().log().batchesCreated()).isEqualTo(3);
        assertThat(teacher.server().log().chatRequests()).isZero();
        var state = Json.MAPPER.readTree(dir.resolve("out.batches.json").toFile());
        assertThat(state.get("batches")).hasSize(3);
        state.get("batches").forEach(b -> assertThat(b.get("collected").asBoolean()).isTrue());
        assertThat(Rows.text(dir.resolve("out.meta.json"))).contains("Batch API").contains("\"succeeded\" : 25");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp") || name.contains(".batch-"));
        }
        NoSecrets.assertKeyNowhereIn(dir);

        JobResult again = run(runner(false));
        assertThat(again.pending()).isZero();
        assertThat(teacher.server().log().batchesCreated()).isEqualTo(3);
    }

    /** A crash right after each durable step: the rerun finishes the job, no batch is created twice. */
    @ParameterizedTest
    @EnumSource(BatchStep.class)
    void aStopAtAnyStepLosesNothingAndPaysNothingTwice(BatchStep crashAt) {
        BatchRunner crashing = runner(false).onStep(step -> {
            if (step == crashAt) {
                throw new SimulatedCrash();
            }
        });
        assertThatThrownBy(() -> run(crashing)).isInstanceOf(SimulatedCrash.class);

        JobResult result = run(runner(false));
        assertThat(result.ok()).isTrue();
        assertEveryRowIsTheServersAnswer();
        assertThat(teacher.server().log().batchesCreated()).as("batches created").isEqualTo(3);
        assertThat(teacher.server().log().batchRequests()).as("requests run in batches").isEqualTo(25);
    }

    @Test
    void requestsOfAnExpiredBatchAreSubmittedAgainByTheNextRun() {
        teacher.server().batches().expireNext(1);
        JobResult first = run(runner(false));
        assertThat(first.ok()).isTrue();
        assertThat(first.failed()).isZero();
        assertThat(Rows.read(output)).hasSize(20);

        JobResult second = run(runner(false));
        assertThat(second.succeeded()).isEqualTo(5);
        assertEveryRowIsTheServersAnswer();
        assertThat(teacher.server().log().batchesCreated()).isEqualTo(4);
    }

    @Test
    void failedRequestsAreRecordedAndRetriedOnRequest() {
        teacher.server().batches().failCustomIds("r3", "r17");
        JobResult first = run(runner(false));
        assertThat(first.failed()).isEqualTo(2);
        Path failures = dir.resolve("out.failures.jsonl");
        assertThat(Rows.byId(failures)).containsOnlyKeys("r3", "r17");
        assertThat(Rows.byId(failures).get("r3").get("error").asText()).contains("HTTP 500");
        assertThat(Rows.byId(failures).get("r3").get("batch_id").asText()).startsWith("batch_");

        assertThat(run(runner(false)).pending()).isZero();

        teacher.server().batches().clearFailingCustomIds();
        JobResult retried = run(runner(true));
        assertThat(retried.succeeded()).isEqualTo(2);
        assertEveryRowIsTheServersAnswer();
        assertThat(Files.exists(failures)).isFalse();
    }

    @Test
    void aBatchThatFailsValidationRecordsEveryRequestAsFailed() {
        teacher.server().batches().failNext(1);
        JobResult result = run(runner(false));
        assertThat(result.failed()).isEqualTo(10);
        assertThat(Rows.read(output)).hasSize(15);
        Rows.read(dir.resolve("out.failures.jsonl"))
                .forEach(row -> assertThat(row.get("error").asText()).startsWith("the batch failed"));
    }

    @Test
    void anUnreadableStateFileStopsTheJobInsteadOfPayingAgain() throws Exception {
        Files.writeString(dir.resolve("out.batches.json"), "{\"batches\": [");
        assertThatThrownBy(() -> run(runner(false)))
                .hasMessageContaining("out.batches.json").hasMessageContaining("pays for");
        assertThat(teacher.server().log().batchesCreated()).isZero();
    }

    @Test
    void theUsualFlowNeverListsTheAccountsBatches() {
        run(runner(false));
        run(runner(false));
        assertEveryRowIsTheServersAnswer();
        assertThat(teacher.server().log().batchListings()).isZero();
    }

    /** Many OpenAI-compatible servers answer GET /v1/batches with 404: the recorded batch ids are enough. */
    @ParameterizedTest
    @EnumSource(value = BatchStep.class, names = {"UPLOAD_RECORDED", "BATCH_CREATED", "RESULT_MERGED"})
    void aServerThatCannotListBatchesIsEnoughEvenAfterACrash(BatchStep crashAt) {
        teacher.server().withoutBatchListing();
        BatchRunner crashing = runner(false).onStep(step -> {
            if (step == crashAt) {
                throw new SimulatedCrash();
            }
        });
        assertThatThrownBy(() -> run(crashing)).isInstanceOf(SimulatedCrash.class);

        JobResult result = run(runner(false));
        assertThat(result.ok()).as(result.fatalError()).isTrue();
        assertThat(result.incomplete()).isFalse();
        assertThat(Rows.byId(output)).hasSize(questions.size());
        // only a batch created but not recorded can be created a second time when the server cannot list batches
        assertThat(teacher.server().log().batchesCreated()).isEqualTo(crashAt == BatchStep.BATCH_CREATED ? 4 : 3);
        assertThat(teacher.server().log().batchListings()).isEqualTo(crashAt == BatchStep.RESULT_MERGED ? 0 : 1);
    }

    @Test
    void uploadFilesGoOnceUploadedAndThoseAKilledRunLeftGoAtTheNextStart() throws Exception {
        Path leftover = Files.writeString(dir.resolve(".out.batch-123456789.jsonl"), "{}\n");
        List<Path> seenAfterUpload = new ArrayList<>();
        BatchRunner watching = runner(false).onStep(step -> {
            if (step == BatchStep.UPLOADED) {
                seenAfterUpload.addAll(uploadFiles());
            }
        });
        run(watching);
        assertThat(leftover).doesNotExist();
        assertThat(seenAfterUpload).isEmpty();
        assertThat(uploadFiles()).isEmpty();
    }

    private List<Path> uploadFiles() {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".out.batch-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aBatchCompletedWithoutResultsLeavesItsRowsPending() {
        teacher.server().batches().loseResultsOfNext(1);
        List<String> notes = new ArrayList<>();
        UsageMeter usage = new UsageMeter(PriceTable.defaults(), 0.5);
        JobResult first = run(new BatchRunner(teacher.client(), options(false), usage, CostGuard.unlimited(usage), notes::add));
        assertThat(first.ok()).isTrue();
        assertThat(first.unanswered()).isEqualTo(10);
        assertThat(first.incomplete()).isTrue();
        assertThat(notes).anyMatch(note -> note.matches("batch batch_\\w+ ended completed without a result for 10 of its"
                + " requests; they stay pending, and the next run submits them again"));
        assertThat(Rows.read(output)).hasSize(15);

        JobResult second = run(runner(false));
        assertThat(second.succeeded()).isEqualTo(10);
        assertThat(second.incomplete()).isFalse();
        // the server ran the lost batch's requests, so those ten were answered (and paid for) twice
        Map<String, ObjectNode> rows = Rows.byId(output);
        assertThat(rows).hasSize(questions.size());
        questions.forEach(q -> assertThat(rows.get(q.id()).get("output").asText()).isEqualTo(q.answer()));
    }

    @Test
    void maxCostLimitsWhatIsSubmittedAndALaterRunGoesOn() {
        // gpt-4o-mini through the Batch API: at most about $0.00016 a request with a 512-token reply
        UsageMeter usage = new UsageMeter(PriceTable.defaults(), 0.5);
        JobResult first = run(new BatchRunner(teacher.client(), options(false), usage, new CostGuard(usage, 0.001), note -> {}));
        assertThat(first.pausedBy()).startsWith("--max-cost $0.001 reached");
        assertThat(first.succeeded()).isBetween(1L, 9L);
        assertThat(first.incomplete()).isTrue();
        assertThat(usage.estimatedCost()).isLessThanOrEqualTo(0.001);

        UsageMeter more = new UsageMeter(PriceTable.defaults(), 0.5);
        JobResult second = run(new BatchRunner(teacher.client(), options(false), more, new CostGuard(more, 1), note -> {}));
        assertThat(second.pausedBy()).isNull();
        assertThat(second.incomplete()).isFalse();
        assertEveryRowIsTheServersAnswer();
    }

    private static final class SimulatedCrash extends RuntimeException {}
}
