package org.instruct4j.spark.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.instruct4j.core.io.Json;
import org.instruct4j.spark.Instructions;
import org.instruct4j.spark.LocalSpark;
import org.instruct4j.spark.OutputRows;
import org.instruct4j.spark.SingleMachine;
import org.instruct4j.spark.SparkCli;
import org.instruct4j.spark.io.OutputFormat;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.WorkItem;
import org.instruct4j.teacher.tasks.Language;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.testkit.FakeOpenAiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Spark task that dies after it has asked the teacher is run again, and its rows still appear exactly once. */
class TaskRetryTest {
    @TempDir
    Path dir;

    /** The answers recipe, except that the first attempt of partition 0 dies after its sixth request. */
    private record DiesOnFirstAttempt(AnswersRecipe answers) implements TaskRecipe {
        @Override
        public String name() {
            return answers.name();
        }

        @Override
        public GenerationTask<?> open(Path rows, List<Path> sideFiles, Path workDir) {
            return new Dying<>(answers.open(rows, sideFiles, workDir));
        }
    }

    /** Dies while the job runner hands out requests (its second pass over the items; the first one counts them). */
    private static final class Dying<S> implements GenerationTask<S> {
        private final GenerationTask<S> task;
        private final AtomicInteger passes = new AtomicInteger();

        Dying(GenerationTask<S> task) {
            this.task = task;
        }

        @Override
        public String name() {
            return task.name();
        }

        @Override
        public Stream<WorkItem<S>> items() {
            TaskContext context = TaskContext.get();
            if (context == null || context.partitionId() != 0 || context.attemptNumber() != 0 || passes.incrementAndGet() == 1) {
                return task.items();
            }
            AtomicInteger handedOut = new AtomicInteger();
            return task.items().peek(item -> {
                if (handedOut.incrementAndGet() > 6) {
                    throw new IllegalStateException("executor lost (simulated)");
                }
            });
        }

        @Override
        public ObjectNode toRow(WorkItem<S> item, ChatReply reply) throws TeacherException {
            return task.toRow(item, reply);
        }
    }

    @Test
    void aRetriedTaskLeavesEveryRowExactlyOnce() {
        Path input = Instructions.write(dir.resolve("in.jsonl"), 30);
        Path output = dir.resolve("answers");
        try (FakeOpenAiServer server = new FakeOpenAiServer().apiKey(SparkCli.apiKey()).latency(Duration.ofMillis(20)).start()) {
            AnswersRecipe answers = new AnswersRecipe("gpt-4", Sampling.PAPER_DEFAULTS, Language.EN);
            var request = new GenerationJob.Request(input.toString(), 0, output.toString(), OutputFormat.JSONL, 2,
                    new TeacherEndpoint(server.baseUrl(), SparkCli.KEY_VARIABLE, Duration.ofSeconds(10)),
                    new JobOptions(2, 0, 0, RetryPolicy.DEFAULT, false, true), PriceTable.defaults(), Json.object());

            GenerationJob.Outcome outcome = new GenerationJob(LocalSpark.session(), new DiesOnFirstAttempt(answers), request)
                    .run(new PrintWriter(new StringWriter()));

            assertThat(outcome.result().succeeded()).isEqualTo(30);
            assertThat(server.log().answeredMoreThanOnce()).as("the dead attempt's prompts, asked again").hasSizeBetween(1, 6);
            var single = OutputRows.byId(SingleMachine.run(server, answers.open(input, List.of(), dir), dir.resolve("single.jsonl")));
            assertThat(OutputRows.byId(output)).hasSize(30).isEqualTo(single);
        }
    }
}
