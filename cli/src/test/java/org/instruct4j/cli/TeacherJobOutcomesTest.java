package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.testkit.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a paid teacher job ends, as a user and a "rerun until exit 0" script see it: exit 3 for as long as rows are
 * missing from the output (failed now or in an earlier run, lost by a batch, held back by the budget), 0 once the
 * output is complete; the cost is announced before anything is paid, and a prompt larger than the model's context is
 * never sent.
 */
class TeacherJobOutcomesTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeTeacher teacher = new FakeTeacher();

    private Path instructions(int count) throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < count; i++) {
            rows.append(Json.line(Json.object().put("id", "r" + i).put("instruction", "Explain idea [q" + i + "] in two sentences.")
                    .put("input", ""))).append('\n');
        }
        return Files.writeString(dir.resolve("in.jsonl"), rows, StandardCharsets.UTF_8);
    }

    private CliRun answers(Path input, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "answers", "--input", input.toString(), "--output", output.toString(),
                "--max-attempts", "2"));
        args.addAll(List.of(extra));
        return teacher.run(args.toArray(String[]::new));
    }

    private static List<String> ids(Path file) {
        return Datasets.readAll(file, row -> row.string("id"));
    }

    @Test
    void aPlainRerunExitsThreeWhileRowsAreOnlyInTheFailuresFile() throws IOException {
        Path input = instructions(6);
        Path output = dir.resolve("o.jsonl");
        teacher.server().faults().failWhenPromptContains("[q4]", 2, Fault.status(503));

        CliRun first = answers(input, output);
        assertThat(first.exitCode()).as(first.err()).isEqualTo(3);
        assertThat(first.err()).contains("failed in this run: 1 row(s), recorded in " + dir.resolve("o.failures.jsonl"));

        CliRun rerun = answers(input, output);
        assertThat(rerun.exitCode()).as(rerun.err()).isEqualTo(3);
        assertThat(rerun.err()).contains("answers: 0 new rows, 5 already done, 0 failed")
                .contains("still only in " + dir.resolve("o.failures.jsonl")
                        + ": 1 row(s) that failed in an earlier run and were skipped; rerun with --retry-failed to try them again");
        assertThat(ids(output)).hasSize(5);

        CliRun retried = answers(input, output, "--retry-failed");
        assertThat(retried.exitCode()).as(retried.err()).isZero();
        assertThat(ids(output)).hasSize(6);
        assertThat(dir.resolve("o.failures.jsonl")).doesNotExist();
    }

    @Test
    void aBatchReportedCompletedWithoutResultsIsNotAFinishedJob() throws IOException {
        Path input = instructions(8);
        Path output = dir.resolve("o.jsonl");
        teacher.server().batches().pollsPerStage(0);
        teacher.server().batches().loseResultsOfNext(1);

        CliRun first = answers(input, output, "--batch-api", "--poll-interval", "0.01");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(3);
        assertThat(first.err()).contains("ended completed without a result for 8 of its requests")
                .contains("no result for 8 request(s)");
        assertThat(Files.size(output)).isZero();

        CliRun rerun = answers(input, output, "--batch-api", "--poll-interval", "0.01");
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(ids(output)).hasSize(8);
    }

    @Test
    void theBatchApiNeedsNoBatchListing() throws IOException {
        Path input = instructions(8);
        Path output = dir.resolve("o.jsonl");
        teacher.server().withoutBatchListing().batches().pollsPerStage(0);
        CliRun run = answers(input, output, "--batch-api", "--poll-interval", "0.01");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(ids(output)).hasSize(8);
        CliRun rerun = answers(input, output, "--batch-api", "--poll-interval", "0.01");
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(teacher.server().log().batchListings()).isZero();
    }

    @Test
    void theCostIsAnnouncedAndMaxCostStopsTheRunResumably() throws IOException {
        Path input = instructions(20);
        Path output = dir.resolve("o.jsonl");

        CliRun capped = answers(input, output, "--model", "gpt-4", "--max-cost", "0.05");
        assertThat(capped.exitCode()).as(capped.err()).isEqualTo(3);
        assertThat(capped.err()).containsPattern("answers: 20 requests to gpt-4: prompts \\d[\\d,]* tokens, replies at most 10,240 tokens"
                        + " \\(max_tokens\\); estimated cost \\$0\\.\\d\\d for the prompts, at most \\$0\\.\\d\\d with every reply at max_tokens;"
                        + " --max-cost \\$0\\.05")
                .contains("stopped before the end: --max-cost $0.05 reached").contains("raise --max-cost and run the same command again");
        int done = ids(output).size();
        assertThat(done).isBetween(1, 19);

        CliRun raised = answers(input, output, "--model", "gpt-4", "--max-cost", "5");
        assertThat(raised.exitCode()).as(raised.err()).isZero();
        assertThat(raised.err()).contains((20 - done) + " requests to gpt-4");
        assertThat(ids(output)).hasSize(20);

        CliRun unpriced = answers(input, dir.resolve("other.jsonl"), "--model", "my-own-model", "--max-cost", "1");
        assertThat(unpriced.exitCode()).isEqualTo(2);
        assertThat(unpriced.err()).startsWith("instruct4j: error: --max-cost needs the price of my-own-model: pass --prices FILE");
    }

    @Test
    void aRowWhosePromptIsLargerThanTheContextIsAFailureAndNeverSent() throws IOException {
        Path input = Files.writeString(dir.resolve("in.jsonl"), Json.line(Json.object().put("id", "small")
                .put("instruction", "Say hi [q1].")) + "\n" + Json.line(Json.object().put("id", "huge")
                .put("instruction", "Summarise [q2]: " + "word ".repeat(5_000))) + "\n");
        Path prices = Files.writeString(dir.resolve("prices.json"), "{\"gpt-4\": {\"input\": 30, \"output\": 60, \"context\": 2000}}");
        Path output = dir.resolve("o.jsonl");

        CliRun run = answers(input, output, "--model", "gpt-4", "--prices", prices.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("larger than the model's context, so recorded as failures and not sent: 1 prompt(s)");
        assertThat(ids(output)).containsExactly("small");
        JsonRow failure = Datasets.readAll(dir.resolve("o.failures.jsonl"), row -> row).get(0);
        assertThat(failure.string("id")).isEqualTo("huge");
        assertThat(failure.string("error")).matches("not sent: the prompt is 5,0\\d\\d tokens, more than gpt-4's context of 2,000 tokens");
        assertThat(teacher.server().log().askedAt("[q2]")).isEmpty();
    }
}
