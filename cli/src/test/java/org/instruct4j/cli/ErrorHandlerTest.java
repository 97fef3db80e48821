package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Only bad input or options are exit 2; a bug or a failure of the machine is exit 1, with what went wrong. */
class ErrorHandlerTest {
    @Command(name = "fails")
    static final class Failing implements Runnable {
        @Option(names = "--with", required = true)
        String failure;

        @Override
        public void run() {
            switch (failure) {
                case "bad-input" -> throw new BadInputException("--with: not what this command takes");
                case "bug" -> throw new IllegalArgumentException("index -1", new ArithmeticException("/ by zero"));
                case "null" -> throw new NullPointerException();
                case "io" -> throw new UncheckedIOException("cannot write out.jsonl: the disk is full", new IOException("No space left"));
                default -> { }
            }
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("bad-input", 2, "instruct4j: error: --with: not what this command takes\n"),
                Arguments.of("bug", 1, "instruct4j: unexpected error: java.lang.IllegalArgumentException: index -1"
                        + " (caused by java.lang.ArithmeticException: / by zero)\n"),
                Arguments.of("null", 1, "instruct4j: unexpected error: java.lang.NullPointerException\n"),
                Arguments.of("io", 1, "instruct4j: error: cannot write out.jsonl: the disk is full\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void exitCodesSayWhoseFaultItIs(String failure, int exitCode, String firstLine) {
        StringWriter err = new StringWriter();
        int code = CommandLines.configure(new CommandLine(new Failing()), () -> {}).setErr(new PrintWriter(err, true)).execute("--with", failure);
        assertThat(code).isEqualTo(exitCode);
        assertThat(err.toString()).startsWith(firstLine);
    }
}
