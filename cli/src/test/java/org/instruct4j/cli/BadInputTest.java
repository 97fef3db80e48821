package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the generation commands: a clear file:line:field error, exit 2, no request made, nothing written. */
class BadInputTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeTeacher teacher = new FakeTeacher();

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("invalid.jsonl", "{\"instruction\": \"a\"}\n{\"instruction\": \"b\"\n".getBytes(StandardCharsets.UTF_8), ":2: invalid JSON"),
                Arguments.of("missing.json", "[{\"instruction\": \"a\"}, {\"input\": \"b\"}]".getBytes(StandardCharsets.UTF_8),
                        ":[1] (line 1): field \"instruction\": missing"),
                Arguments.of("typed.jsonl", "{\"instruction\": \"a\", \"input\": 5}\n".getBytes(StandardCharsets.UTF_8),
                        ":1: field \"input\": expected a string, got a number"),
                Arguments.of("empty.jsonl", new byte[0], ": the file is empty"),
                Arguments.of("bom.jsonl", withBom("{\"instruction\": \"a\"}\n"), ":1: the file starts with a UTF-8 byte-order mark"),
                Arguments.of("crlf.jsonl", "{\"instruction\": \"a\"}\r\n{\"instruction\": \"b\"}\r\n".getBytes(StandardCharsets.UTF_8), ":1: CRLF"),
                Arguments.of("dup.jsonl", "{\"id\": \"x\", \"instruction\": \"a\"}\n{\"id\": \"x\", \"instruction\": \"b\"}\n".getBytes(StandardCharsets.UTF_8),
                        ":2: field \"id\": duplicate id"));
    }

    private static byte[] withBom(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + 3];
        all[0] = (byte) 0xEF;
        all[1] = (byte) 0xBB;
        all[2] = (byte) 0xBF;
        System.arraycopy(body, 0, all, 3, body.length);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void generateAnswersRejectsBadInputBeforeAnyRequest(String name, byte[] content, String expected) throws IOException {
        Path input = Files.write(dir.resolve(name), content);
        Path output = dir.resolve("out/answers.jsonl");
        CliRun run = teacher.run("generate", "answers", "--input", input.toString(), "--output", output.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + input + expected);
        assertThat(teacher.server().log().totalRequests()).isZero();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void dataExportRejectsBadInputAndWritesNothing(String name, byte[] content, String expected) throws IOException {
        Path input = Files.write(dir.resolve(name), content);
        Path output = dir.resolve("export.json");
        CliRun run = CliRun.of("data", "export", "--input", input.toString(), "--output", output.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + input);
        assertThat(output).doesNotExist();
    }
}
