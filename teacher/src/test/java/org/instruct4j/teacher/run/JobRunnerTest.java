package org.instruct4j.teacher.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;
import org.instruct4j.teacher.usage.CostGuard;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import org.instruct4j.testkit.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live runner against a real HTTP server: every row is the server's answer to that row's prompt, once. */
class JobRunnerTest {
    @TempDir
    Path dir;

    private FakeTeacher teacher;

    @BeforeEach
    void start() {
        teacher = FakeTeacher.start(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        teacher.close();
    }

    private AnswerTask answers(Path input, long limit) {
        return new AnswerTask(InstructionInput.open(input, limit), FakeTeacher.MODEL, Sampling.PAPER_DEFAULTS, Language.EN);
    }

    private static void assertEveryRowIsTheServersAnswer(Path output, List<Questions.Question> questions) {
        Map<String, ObjectNode> rows = Rows.byId(output);
        assertThat(rows).hasSize(questions.size());
        for (Questions.Question q : questions) {
            ObjectNode row = rows.get(q.id());
            assertThat(row.get("instruction").asText()).isEqualTo(q.instruction());
            assertThat(row.get("input").asText()).isEqualTo(q.input());
            assertThat(row.get("output").asText()).isEqualTo(q.answer());
            assertThat(row.get("truncated").asBoolean()).isFalse();
        }
    }

    @Test
    void answersEveryRowAndResumesWithoutAskingTwice() {
        List<Questions.Question> questions = Questions.make(30);
        Path input = Questions.write(dir.resolve("in.jsonl"), questions);
        Path output = dir.resolve("out.jsonl");
        JobFiles files = JobFiles.forOutput(output);

        FakeTeacher.Run first = teacher.run(answers(input, 12), files, FakeTeacher.options(4));
        assertThat(first.result().succeeded()).isEqualTo(12);
        FakeTeacher.Run second = teacher.run(answers(input, 0), files, FakeTeacher.options(4));
        assertThat(second.result().alreadyDone()).isEqualTo(12);
        assertThat(second.result().succeeded()).isEqualTo(18);

        assertEveryRowIsTheServersAnswer(output, questions);
        assertThat(teacher.server().log().answeredMoreThanOnce()).isEmpty();
        assertThat(teacher.server().log().chatRequests()).isEqualTo(30);
        assertThat(Files.exists(files.failures())).isFalse();
        assertThat(Rows.text(files.metadata())).contains("\"succeeded\" : 18").contains(FakeTeacher.KEY_VARIABLE);
        NoSecrets.assertKeyNowhereIn(dir);
    }

    @Test
    void retriesTransientFaultsAndHonoursRetryAfter() {
        List<Questions.Question> questions = Questions.make(20);
        Path input = Questions.write(dir.resolve("in.jsonl"), questions);
        teacher.server().faults()
                .failWhenPromptContains(questions.get(1).tag(), 1, Fault.rateLimited(1))
                .failWhenPromptContains(questions.get(2).tag(), 2, Fault.status(500))
                .failWhenPromptContains(questions.get(3).tag(), 1, Fault.malformedJson())
                .failWhenPromptContains(questions.get(4).tag(), 1, Fault.dropConnection())
                .failWhenPromptContains(questions.get(5).tag(), 1, Fault.hang(Duration.ofSeconds(5)));
        Path output = dir.resolve("out.jsonl");

        Instant begin = Instant.now();
        FakeTeacher.Run run = teacher.run(answers(input, 0), JobFiles.forOutput(output), FakeTeacher.options(8));
        assertThat(run.result().succeeded()).isEqualTo(20);
        assertThat(run.result().retries()).isEqualTo(6);
        assertEveryRowIsTheServersAnswer(output, questions);
        // the 429 asked for 1 s; the retry of that row cannot have come sooner
        List<Instant> asked = teacher.server().log().askedAt(questions.get(1).tag());
        assertThat(asked).hasSize(2);
        assertThat(Duration.between(asked.get(0), asked.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void truncatedAnswersAreKeptAndMarked() {
        List<Questions.Question> questions = Questions.make(4);
        Path input = Questions.write(dir.resolve("in.jsonl"), questions);
        teacher.server().faults().failWhenPromptContains(questions.get(2).tag(), 1, Fault.truncated());
        Path output = dir.resolve("out.jsonl");
        FakeTeacher.Run run = teacher.run(answers(input, 0), JobFiles.forOutput(output), FakeTeacher.options(2));
        assertThat(run.result().truncated()).isEqualTo(1);
        ObjectNode row = Rows.byId(output).get(questions.get(2).id());
        assertThat(row.get("truncated").asBoolean()).isTrue();
        assertThat(row.get("output").asText()).isEqualTo(questions.get(2).truncatedAnswer());
    }

    @Test
    void rowsThatKeepFailingAreRecordedAndRetriedOnRequest() {
        List<Questions.Question> questions = Questions.make(6);
        Path input = Questions.write(dir.resolve("in.jsonl"), questions);
        Questions.Question unlucky = questions.get(3);
        teacher.server().faults().failWhenPromptContains(unlucky.tag(), 4, Fault.status(503));
        Path output = dir.resolve("out.jsonl");
        JobFiles files = JobFiles.forOutput(output);

        FakeTeacher.Run first = teacher.run(answers(input, 0), files, FakeTeacher.options(3));
        assertThat(first.result().failed()).isEqualTo(1);
        assertThat(Rows.byId(files.failures())).containsOnlyKeys(unlucky.id());
        assertThat(Rows.byId(files.failures()).get(unlucky.id()).get("error").asText()).contains("HTTP 503");

        FakeTeacher.Run again = teacher.run(answers(input, 0), files, FakeTeacher.options(3));
        assertThat(again.result().succeeded()).isZero();
        assertThat(again.result().pending()).isZero();
        assertThat(again.result().failedEarlier()).as("rows still only in the failures file").isEqualTo(1);
        assertThat(again.result().incomplete()).isTrue();

        FakeTeacher.Run retried = teacher.run(answers(input, 0), files, FakeTeacher.retryingFailed(3));
        assertThat(retried.result().succeeded()).isEqualTo(1);
        assertThat(retried.result().failedEarlier()).isZero();
        assertThat(retried.result().incomplete()).isFalse();
        assertEveryRowIsTheServersAnswer(output, questions);
        assertThat(Files.exists(files.failures())).isFalse();
    }

    @Test
    void aRejectedKeyStopsTheRunAtOnceAndIsNotEchoed() {
        List<Questions.Question> questions = Questions.make(40);
        Path input = Questions.write(dir.resolve("in.jsonl"), questions);
        Path output = dir.resolve("out.jsonl");
        String wrongKey = "sk-proj-WrongKey000000000000000000000000000000";
        try (var client = teacher.clientWithKey(wrongKey, Duration.ofSeconds(2))) {
            var options = FakeTeacher.options(2);
            var caller = new TeacherCaller(client, options,
                    new org.instruct4j.teacher.usage.UsageMeter(org.instruct4j.teacher.usage.PriceTable.defaults(), 1));
            JobResult result = new JobRunner(caller, options).run(answers(input, 0), JobFiles.forOutput(output),
                    FakeTeacher.settings());
            assertThat(result.ok()).isFalse();
            assertThat(result.fatalError()).contains("401").doesNotContain(wrongKey);
            assertThat(teacher.server().log().chatRequests()).isLessThan(10);
        }
        assertThat(Rows.text(JobFiles.forOutput(output).metadata())).contains("stopped_by").doesNotContain(wrongKey);
    }

    @Test
    void aPromptLargerThanTheModelsContextIsRecordedAsAFailureAndNeverSent() {
        List<Questions.Question> questions = new ArrayList<>(Questions.make(3));
        // about 140,000 tokens: more than gpt-4o-mini's 128,000
        Questions.Question huge = new Questions.Question("r9", "Summarise [q9].", "word ".repeat(140_000));
        questions.add(huge);
        Path input = Questions.write(dir.resolve("in.jsonl"), questions);
        JobFiles files = JobFiles.forOutput(dir.resolve("out.jsonl"));
        List<String> notes = new ArrayList<>();
        TeacherCaller caller = teacher.caller(FakeTeacher.options(2));
        JobResult result = new JobRunner(caller, FakeTeacher.options(2), notes::add).run(answers(input, 0), files, FakeTeacher.settings());

        assertThat(result.succeeded()).isEqualTo(3);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(Rows.byId(files.failures()).get("r9").get("error").asText())
                .matches("not sent: the prompt is 140,0\\d\\d tokens, more than gpt-4o-mini's context of 128,000 tokens");
        assertThat(teacher.server().log().askedAt(huge.tag())).isEmpty();
        assertThat(notes).singleElement().asString().startsWith("answers: 3 requests to gpt-4o-mini: prompts ")
                .contains("larger than the model's context, so recorded as failures and not sent: 1 prompt(s)");
    }

    @Test
    void maxCostStopsTheRunBeforeTheBudgetIsPassedAndALaterRunGoesOn() {
        List<Questions.Question> questions = Questions.make(20);
        Path input = Questions.write(dir.resolve("in.jsonl"), questions);
        JobFiles files = JobFiles.forOutput(dir.resolve("out.jsonl"));
        // gpt-4 at $30 / $60 per 1M tokens: a request costs about $0.004, and up to $0.033 with a 512-token reply
        AnswerTask task = new AnswerTask(InstructionInput.open(input, 0), "gpt-4", Sampling.PAPER_DEFAULTS, Language.EN);

        JobResult first = runWithBudget(task, files, 0.05);
        assertThat(first.pausedBy()).startsWith("--max-cost $0.05 reached");
        assertThat(first.succeeded()).isBetween(1L, 19L);
        assertThat(first.unanswered()).isEqualTo(20 - first.succeeded());
        assertThat(first.incomplete()).isTrue();
        double spent = RunMetadata.spent(files.metadata(), PriceTable.defaults());
        assertThat(spent).isPositive().isLessThanOrEqualTo(0.05);

        // the second run starts from what the first spent: it may fit a request or two into what is left (the first
        // stopped while its in-flight requests held their worst case), never more than the budget
        JobResult again = runWithBudget(task, files, 0.05);
        assertThat(again.pausedBy()).isNotNull();
        assertThat(RunMetadata.spent(files.metadata(), PriceTable.defaults())).as("the budget holds what the first run spent")
                .isGreaterThanOrEqualTo(spent).isLessThanOrEqualTo(0.05);
        assertThat(first.succeeded() + again.succeeded()).isLessThan(20);

        JobResult raised = runWithBudget(task, files, 5);
        assertThat(raised.pausedBy()).isNull();
        assertThat(raised.incomplete()).isFalse();
        assertThat(Rows.byId(files.rows())).hasSize(20);
        assertThat(teacher.server().log().answeredMoreThanOnce()).isEmpty();
        assertThat(RunMetadata.spent(files.metadata(), PriceTable.defaults())).isLessThanOrEqualTo(5);
    }

    private JobResult runWithBudget(AnswerTask task, JobFiles files, double dollars) {
        JobOptions options = FakeTeacher.options(4);
        UsageMeter usage = new UsageMeter(PriceTable.defaults(), 1.0);
        TeacherCaller caller = new TeacherCaller(teacher.client(), options, usage, new CostGuard(usage, dollars));
        return new JobRunner(caller, options).run(task, files, FakeTeacher.settings());
    }

    @Test
    void requestsPerMinuteLimitSpacesTheRequests() {
        List<Questions.Question> questions = Questions.make(25);
        Path input = Questions.write(dir.resolve("in.jsonl"), questions);
        // 600 rpm: a burst of one second's worth (10), then one request per 100 ms
        JobOptions limited = new JobOptions(8, 600, 0, FakeTeacher.FAST_RETRY, false, true);
        teacher.run(answers(input, 0), JobFiles.forOutput(dir.resolve("out.jsonl")), limited);
        List<Instant> arrivals = teacher.server().log().arrivals();
        assertThat(arrivals).hasSize(25);
        // 25 requests: 10 from the burst, then one per 100 ms. The last ten arrivals all waited for the limiter, long
        // after the first connections were set up (slow on a loaded machine, which would shorten a span counted from
        // the first arrival): at least 9 refills of 100 ms, less a margin for scheduling jitter
        assertThat(Duration.between(arrivals.get(15), arrivals.get(24))).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    }
}
