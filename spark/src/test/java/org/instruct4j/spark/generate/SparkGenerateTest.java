package org.instruct4j.spark.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.instruct4j.core.io.Json;
import org.instruct4j.spark.Instructions;
import org.instruct4j.spark.LocalSpark;
import org.instruct4j.spark.NoSecrets;
import org.instruct4j.spark.OutputRows;
import org.instruct4j.spark.SingleMachine;
import org.instruct4j.spark.SparkCli;
import org.instruct4j.spark.WithFakeTeacher;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;
import org.instruct4j.testkit.Fault;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark generate answers} in local mode against a real OpenAI-compatible HTTP server on 127.0.0.1, compared
 * row by row with the single-machine job runner; faults, resume and Parquet.
 */
class SparkGenerateTest extends WithFakeTeacher {
    private static final Path ALPACA = SharedData.path("alpaca/alpaca_5000_subset_pr152.json");

    @TempDir
    Path dir;

    private SparkCli generate(String... args) {
        return spark(Stream.concat(Stream.of("generate"), Stream.of(args)).toArray(String[]::new));
    }

    private Path singleMachine(GenerationTask<?> task) {
        return SingleMachine.run(server, task, dir.resolve("single.jsonl"));
    }

    private static AnswerTask answers(Path input, long limit) {
        return new AnswerTask(InstructionInput.open(input, limit), "gpt-4", Sampling.PAPER_DEFAULTS, Language.EN);
    }

    @Test
    void answersEqualTheSingleMachineRunRowByRow() {
        Path output = dir.resolve("answers");

        SparkCli run = generate("answers", "--input", ALPACA.toString(), "--limit", "40", "--output", output.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.err()).contains("answers: 40 new rows, 0 already done, 0 failed");
        Map<String, ObjectNode> spark = OutputRows.byId(output);
        Map<String, ObjectNode> single = OutputRows.byId(singleMachine(answers(ALPACA, 40)));
        assertThat(spark).hasSize(40).isEqualTo(single);
        assertThat(spark).containsKeys("0", "39");
        assertThat(OutputRows.files(output)).hasSize(2).allSatisfy(part -> assertThat(part.toString()).endsWith(".jsonl"));
        assertThat(server.log().answerCounts().values()).as("each prompt asked once by each run").containsOnly(2);
        assertThat(Files.exists(dir.resolve("answers.failures"))).isFalse();
        assertThat(readString(dir.resolve("answers.meta.json"))).contains("\"succeeded\" : 40").contains(SparkCli.KEY_VARIABLE)
                .contains("\"partitions\" : 2");
        assertThat(dir.resolve("answers/_staging")).as("no run left in progress").isDirectoryNotContaining(Files::isDirectory);
        NoSecrets.assertKeyNowhereIn(dir);
    }

    @Test
    void resumesWithoutAskingAnyRowTwice() {
        Path input = Instructions.write(dir.resolve("in.jsonl"), 30);
        Path output = dir.resolve("answers");

        SparkCli first = generate("answers", "--input", input.toString(), "--limit", "10", "--output", output.toString());
        SparkCli second = generate("answers", "--input", input.toString(), "--output", output.toString());
        int requestsBeforeThird = server.log().chatRequests();
        SparkCli third = generate("answers", "--input", input.toString(), "--output", output.toString());

        assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
        assertThat(second.err()).contains("answers: 20 new rows, 10 already done");
        assertThat(third.exitCode()).as(third.err()).isEqualTo(0);
        assertThat(third.err()).contains("answers: 0 new rows, 30 already done");
        assertThat(server.log().chatRequests()).isEqualTo(requestsBeforeThird).isEqualTo(30);
        assertThat(server.log().answeredMoreThanOnce()).isEmpty();
        assertThat(OutputRows.byId(output)).hasSize(30).isEqualTo(OutputRows.byId(singleMachine(answers(input, 0))));
    }

    @Test
    void faultsLeaveNoDuplicateRowsAndFailuresAreRecordedThenRetried() {
        Path input = Instructions.write(dir.resolve("in.jsonl"), 24);
        Path output = dir.resolve("answers");
        server.faults()
                .failWhenPromptContains(Instructions.tag(3), 2, Fault.rateLimited(0))
                .failWhenPromptContains(Instructions.tag(4), 1, Fault.status(500))
                .failWhenPromptContains(Instructions.tag(5), 1, Fault.status(503))
                .failWhenPromptContains(Instructions.tag(7), 100, Fault.status(500))
                .failWhenPromptContains(Instructions.tag(13), 100, Fault.status(400));

        SparkCli run = generate("answers", "--input", input.toString(), "--output", output.toString(), "--max-attempts", "3");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("answers: 22 new rows, 0 already done, 2 failed").contains("--retry-failed");
        Map<String, ObjectNode> rows = OutputRows.byId(output);
        assertThat(rows).hasSize(22).doesNotContainKeys("r7", "r13");
        Map<String, ObjectNode> failures = OutputRows.byId(dir.resolve("answers.failures"));
        assertThat(failures).containsOnlyKeys("r7", "r13");
        assertThat(failures.get("r7").get("attempts").asInt()).isEqualTo(3);
        assertThat(failures.get("r13").get("attempts").asInt()).isEqualTo(1);
        assertThat(server.log().answeredMoreThanOnce()).isEmpty();

        SparkCli skipping = generate("answers", "--input", input.toString(), "--output", output.toString());
        assertThat(skipping.err()).contains("answers: 0 new rows, 22 already done, 0 failed")
                .contains("2 row(s) that failed in an earlier run and were skipped; rerun with --retry-failed");
        assertThat(skipping.exitCode()).as("rows are still missing").isEqualTo(3);
        server.faults().clear();
        SparkCli retry = generate("answers", "--input", input.toString(), "--output", output.toString(), "--retry-failed");

        assertThat(retry.exitCode()).as(retry.err()).isEqualTo(0);
        assertThat(retry.err()).contains("answers: 2 new rows, 22 already done, 0 failed");
        assertThat(OutputRows.byId(output)).hasSize(24).isEqualTo(OutputRows.byId(singleMachine(answers(input, 0))));
        assertThat(OutputRows.files(dir.resolve("answers.failures"))).isEmpty();
    }

    @Test
    void readsAndWritesParquet() {
        Path json = Instructions.write(dir.resolve("in.jsonl"), 12);
        Path parquet = dir.resolve("in.parquet");
        LocalSpark.session().read().json(json.toString()).repartition(3).write().mode(SaveMode.Overwrite).parquet(parquet.toString());
        Path output = dir.resolve("answers.parquet");

        SparkCli run = generate("answers", "--input", parquet.toString(), "--output", output.toString(), "--format", "parquet");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        Map<String, ObjectNode> spark = new LinkedHashMap<>();
        LocalSpark.session().read().parquet(output.toString()).toJSON().collectAsList()
                .forEach(line -> spark.put(readTree(line).get("id").asText(), readTree(line)));
        assertThat(spark).hasSize(12).isEqualTo(OutputRows.byId(singleMachine(answers(json, 0))));
        SparkCli again = generate("answers", "--input", parquet.toString(), "--output", output.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("holds parquet part files; resume it with --format parquet");
    }

    private static ObjectNode readTree(String line) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
