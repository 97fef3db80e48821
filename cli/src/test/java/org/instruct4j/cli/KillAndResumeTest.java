package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.testkit.DeterministicResponder;
import org.instruct4j.testkit.Fault;
import org.instruct4j.testkit.FakeOpenAiServer;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command in its own JVM, killed with SIGKILL several times while answering real Alpaca
 * instructions against a server that also injects faults; each restart continues. In the end every
 * instruction has exactly one row, each row holds the answer the server gave for that row's prompt,
 * only requests that were in flight at a kill were answered twice, and the key is in no file.
 */
class KillAndResumeTest {
    private static final String KEY = "sk-kill-test-5f1e2d3c4b5a69788796a5b4";
    private static final int ROWS = 240;
    private static final int CONCURRENCY = 8;
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void start() {
        server = new FakeOpenAiServer().apiKey(KEY).latency(Duration.ofMillis(40)).start();
        server.faults().seed(7).randomly(0.05, Fault.status(500)).randomly(0.03, Fault.rateLimited(1))
                .randomly(0.03, Fault.malformedJson());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void killMinus9AndResumeLosesNothingAndDuplicatesNothing() throws Exception {
        Path input = SharedData.path("alpaca/alpaca_5000_subset_pr152.json");
        Path output = dir.resolve("answers.jsonl");
        for (int kill = 1; kill <= KILLS; kill++) {
            Process process = launch(input, output);
            waitForLines(output, kill * ROWS / (KILLS + 1), process);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Process last = launch(input, output);
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("final run finishes").isTrue();
        String err = new String(last.getErrorStream().readAllBytes());
        assertThat(last.exitValue()).as(err).isZero();

        List<AlpacaExample> instructions = Datasets.readAll(input, AlpacaExample::fromJson).subList(0, ROWS);
        List<JsonRow> rows = new ArrayList<>();
        Datasets.forEach(output, row -> row, rows::add);
        Map<String, JsonRow> byId = new HashMap<>();
        rows.forEach(row -> assertThat(byId.put(row.string("id"), row)).as("id %s appears once", row.string("id")).isNull());
        assertThat(byId).hasSize(ROWS);
        for (int i = 0; i < ROWS; i++) {
            AlpacaExample example = instructions.get(i);
            JsonRow row = byId.get(Integer.toString(i));
            String prompt = AlpacaPrompt.render(example.instruction(), example.input());
            assertThat(row.string("output")).isEqualTo(DeterministicResponder.answer("gpt-4", prompt));
            assertThat(row.string("instruction")).isEqualTo(example.instruction());
        }
        assertThat(server.log().answeredMoreThanOnce().size()).isLessThanOrEqualTo(KILLS * CONCURRENCY);

        // every killed run's usage is in the metadata too: only the replies in flight at a kill are unaccounted for
        JsonNode runs = Json.MAPPER.readTree(dir.resolve("answers.meta.json").toFile()).get("runs");
        assertThat(runs).hasSize(KILLS + 1);
        long recovered = 0;
        long accounted = 0;
        for (JsonNode run : runs) {
            recovered += run.path("stopped_by").asText().contains("usage recovered from answers.usage.jsonl") ? 1 : 0;
            accounted += run.path("usage").path("models").path("gpt-4").path("requests").asLong();
        }
        assertThat(recovered).isEqualTo(KILLS);
        long answered = server.log().answerCounts().values().stream().mapToLong(Integer::longValue).sum();
        assertThat(accounted).isBetween(answered - KILLS * CONCURRENCY, answered);
        assertThat(dir.resolve("answers.usage.jsonl")).doesNotExist();
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(KEY);
            }
        }
    }

    private Process launch(Path input, Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "generate", "answers", "--input", input.toString(), "--output", output.toString(), "--limit", Integer.toString(ROWS),
                "--base-url", server.baseUrl(), "--api-key-env", "KILL_TEST_API_KEY", "--concurrency", Integer.toString(CONCURRENCY),
                "--quiet");
        builder.environment().put("KILL_TEST_API_KEY", KEY);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static void waitForLines(Path output, int lines, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(output) && Files.readAllLines(output).size() >= lines) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the job did not reach " + lines + " rows; alive=" + process.isAlive()
                + " stderr=" + new String(process.getErrorStream().readAllBytes()));
    }
}
