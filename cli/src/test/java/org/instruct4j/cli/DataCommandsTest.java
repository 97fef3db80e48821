package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data commands and {@code data:NAME}: listing and paths against an offline mirror in process; fetching from a
 * real HTTP server standing in for GitHub, in a JVM with the data group's class path only and the environment the
 * data layer reads.
 */
class DataCommandsTest {
    private static final String SEED_TASKS = "alpaca/seed_tasks.jsonl";
    private static final String RAW_PATH = "/tatsu-lab/stanford_alpaca/761dc5bfbdeeffa89b8bff5d038781a4055f796a/seed_tasks.jsonl";

    @TempDir
    Path dir;

    private HttpServer github;
    private byte[] served;

    @BeforeEach
    void start() throws IOException {
        served = Files.readAllBytes(SharedData.path(SEED_TASKS));
        github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        github.createContext("/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().equals(RAW_PATH);
            byte[] body = known ? served : "404: Not Found".getBytes();
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        github.start();
    }

    @AfterEach
    void stop() {
        github.stop(0);
    }

    @Test
    void listShowsWhereEachFileIsAndItsLicence() {
        CliRun run = CliRun.of("data", "list", "--mirror", mirror().toString(), "--cache", dir.toString(), "alpaca", "gpt4llm");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("alpaca/seed_tasks.jsonl +110,934 +mirror +Apache-2.0 +the 175 human-written")
                .containsPattern("gpt4llm/alpaca_gpt4_data.json +43,379,276 +- +CC BY-NC 4.0")
                .containsPattern("gpt4llm/comparison_data_v2.json +\\? +- +CC BY-NC 4.0");
    }

    @Test
    void pathGivesTheMirrorsCopyAndAnUnknownNameIsABadOption() {
        CliRun known = CliRun.of("data", "path", SEED_TASKS, "--mirror", mirror().toString(), "--cache", dir.toString());
        CliRun unknown = CliRun.of("data", "path", "alpaca/nothing.json", "--mirror", mirror().toString(), "--cache", dir.toString());

        assertThat(known.out().strip()).isEqualTo(mirror().resolve(SEED_TASKS).toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown data name 'alpaca/nothing.json'");
    }

    @Test
    void fetchShowsTheLicencesThenDownloadsFromTheOriginAndChecksTheHash() throws IOException {
        GroupRunner fetch = new GroupRunner();

        var first = fetch.run("data", "fetch", SEED_TASKS, "--quiet");
        var again = fetch.run("data", "fetch", SEED_TASKS, "--quiet");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("Licences of these files").contains("Apache-2.0 (free use with attribution")
                .contains("fetched  " + dir.resolve("cache").resolve(SEED_TASKS));
        assertThat(first.err()).contains("fetching alpaca/seed_tasks.jsonl from http://127.0.0.1:");
        assertThat(Files.readAllBytes(dir.resolve("cache").resolve(SEED_TASKS))).isEqualTo(served);
        assertThat(again.out()).contains("checked  " + dir.resolve("cache").resolve(SEED_TASKS));
        assertThat(again.err()).doesNotContain("fetching");
    }

    @Test
    void aFileThatDiffersFromItsPinIsRefused() {
        served = "{\"id\": \"seed_task_0\"}\n".getBytes();

        var run = new GroupRunner().run("data", "fetch", SEED_TASKS, "--quiet");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("1 of 1 files could not be fetched").contains("does not match its pinned hash");
        assertThat(dir.resolve("cache").resolve(SEED_TASKS)).doesNotExist();
    }

    @Test
    void anyCommandTakesADataNameWhereItTakesAFile() throws IOException {
        var run = new GroupRunner().runIn("cli-analyze", "analyze", "lengths", "--input", "data:" + SEED_TASKS, "--field",
                "instruction", "--output", dir.resolve("lengths.json").toString());
        var unknown = new GroupRunner().runIn("cli-analyze", "analyze", "lengths", "--input", "data:alpaca/none.json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(dir.resolve("lengths.json"))).contains("\"rows\"");
        assertThat(run.err()).contains("fetching alpaca/seed_tasks.jsonl");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown data name 'alpaca/none.json'");
    }

    private Path mirror() {
        return SharedData.path(SEED_TASKS).getParent().getParent();
    }

    /** A JVM with one group's class path, no mirror, this test's cache, and the test server as GitHub. */
    private final class GroupRunner {
        GroupRun run(String... args) {
            return runIn("cli-base", args);
        }

        GroupRun runIn(String module, String... args) {
            Map<String, String> env = new HashMap<>();
            env.put("INSTRUCT4J_DATA_MIRROR", null);
            env.put("INSTRUCT4J_DATA_CACHE", dir.resolve("cache").toString());
            env.put("INSTRUCT4J_GITHUB_RAW", "http://127.0.0.1:" + github.getAddress().getPort());
            return GroupRun.of(module, env, args);
        }
    }
}
