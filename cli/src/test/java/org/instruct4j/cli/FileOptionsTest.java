package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.instruct4j.testkit.SharedData;
import org.instruct4j.testkit.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * The files every command reads and writes are checked before it runs: an output that is an input (also through a
 * link, also a file written beside the output) is refused, as are a directory where a file is expected and an output
 * where nothing can be written. Exit 2, a message naming the options, and nothing written.
 */
class FileOptionsTest {
    private static final String QUESTIONS = SharedData.path("fastchat/eval_table/question.jsonl").toString();
    private static final String ALPACA = SharedData.path("fastchat/eval_table/answer/answer_alpaca-13b.jsonl").toString();
    private static final String ROW = "{\"id\":\"1\",\"instruction\":\"Say hi.\",\"input\":\"\",\"output\":\"hi\",\"label\":\"hi\"}\n";

    @TempDir
    Path dir;

    /** Commands that read X and write X, the same file; {X} is replaced by it. */
    static Stream<Arguments> inputAsOutput() {
        return Stream.of(
                Arguments.of("--output", "--input", List.of("data", "export", "--input", "{X}", "--output", "{X}")),
                Arguments.of("--output", "--input", List.of("eval", "rouge", "--input", "{X}", "--output", "{X}")),
                Arguments.of("--scores", "--input", List.of("eval", "rouge", "--input", "{X}", "--scores", "{X}")),
                Arguments.of("--output", "--input", List.of("analyze", "lengths", "--input", "{X}", "--output", "{X}")),
                Arguments.of("--output", "--input", List.of("analyze", "scores", "--input", "{X}", "--output", "{X}")),
                Arguments.of("--output", "--input", List.of("score", "--input", "{X}", "--output", "{X}")),
                Arguments.of("--output", "--input", List.of("rank", "--input", "{X}", "--output", "{X}")),
                Arguments.of("--output", "--responses", List.of("generate", "ratings", "--input", ALPACA, "--responses", "{X}",
                        "--output", "{X}")),
                Arguments.of("--output", "--input", List.of("generate", "answers", "--input", "{X}", "--output", "{X}")),
                Arguments.of("--output", "--answers", List.of("eval", "judge", "--questions", QUESTIONS, "--answers", ALPACA,
                        "--answers", "{X}", "--output", "{X}")),
                Arguments.of("--json", "--reviews", List.of("eval", "report", "--reviews", "{X}", "--json", "{X}")),
                Arguments.of("--output", "--data", List.of("train", "sft", "--data", "{X}", "--output", "{X}")),
                Arguments.of("--output", "--data", List.of("train", "reward", "--data", "{X}", "--output", "{X}")));
    }

    @Test
    void theFilesBesideATeacherJobAreTheOnesTheTeacherWrites() {
        assertThat(Beside.TEACHER_JOB.globs()).isEqualTo(org.instruct4j.teacher.run.JobFiles.BESIDE_OUTPUT);
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("inputAsOutput")
    void anOutputThatIsAnInputIsRefusedAndTheInputIsKept(String outputOption, String inputOption, List<String> args)
            throws IOException {
        Path file = Files.writeString(dir.resolve("rows.jsonl"), ROW);
        CliRun run = CliRun.of(withFile(args, file));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + outputOption + " " + file + " is the same file as " + inputOption
                + " " + file);
        assertThat(Files.readString(file)).isEqualTo(ROW);
        assertOnly(file);
    }

    @Test
    void aSymbolicOrHardLinkToAnInputIsTheSameFile() throws IOException {
        Path file = Files.writeString(dir.resolve("rows.jsonl"), ROW);
        Path symlink = Files.createSymbolicLink(dir.resolve("link.json"), file);
        Path hardLink = Files.createLink(dir.resolve("hard.json"), file);
        for (Path output : List.of(symlink, hardLink)) {
            CliRun run = CliRun.of("data", "export", "--input", file.toString(), "--output", output.toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("--output " + output + " is the same file as --input " + file);
        }
        assertThat(Files.readString(file)).isEqualTo(ROW);
    }

    @Test
    void aFileWrittenBesideTheOutputMayNotBeAnInputEither() throws IOException {
        Path failures = Files.writeString(dir.resolve("out.failures.jsonl"), ROW);
        CliRun run = CliRun.of("generate", "answers", "--input", failures.toString(), "--output", dir.resolve("out.jsonl").toString(),
                "--api-key-env", "PATH", "--base-url", "http://127.0.0.1:9/v1");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("writes out.failures.jsonl beside it, which is the same file as --input " + failures);
        Path chart = Files.writeString(dir.resolve("report-1.png"), "not a png");
        CliRun report = CliRun.of("eval", "report", "--reviews", chart.toString(), "--output", dir.resolve("report.html").toString());
        assertThat(report.exitCode()).as(report.err()).isEqualTo(2);
        assertThat(report.err()).contains("writes report-1.png beside it");
        assertThat(Files.readString(failures)).isEqualTo(ROW);
        assertOnly(failures, chart);
    }

    /** Commands given a directory where they read a file; {D} is replaced by it. */
    static Stream<Arguments> directoryAsFile() {
        return Stream.of(
                Arguments.of("--input", List.of("data", "export", "--input", "{D}", "--output", "{O}")),
                Arguments.of("--input", List.of("eval", "rouge", "--input", "{D}")),
                Arguments.of("--input", List.of("analyze", "lengths", "--input", "{D}")),
                Arguments.of("--input", List.of("analyze", "scores", "--input", "{D}")),
                Arguments.of("--input", List.of("generate", "answers", "--input", "{D}", "--output", "{O}")),
                Arguments.of("--questions", List.of("eval", "answer", "--questions", "{D}", "--output", "{O}", "--model-id", "m")),
                Arguments.of("--answers", List.of("eval", "judge", "--questions", QUESTIONS, "--answers", "{D}", "--output", "{O}")),
                Arguments.of("--input", List.of("score", "--input", "{D}")),
                Arguments.of("--reviews", List.of("eval", "report", "--reviews", "{D}")),
                Arguments.of("--data", List.of("train", "sft", "--data", "{D}", "--output", "{O}")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("directoryAsFile")
    void aDirectoryWhereAFileIsExpectedIsABadOption(String option, List<String> args) throws IOException {
        Path directory = Files.createDirectory(dir.resolve("data"));
        List<String> all = new ArrayList<>();
        for (String arg : args) {
            all.add(arg.replace("{D}", directory.toString()).replace("{O}", dir.resolve("out/o.jsonl").toString()));
        }
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + option + " " + directory + " is a directory; " + option + " takes a file");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void anOutputWhereNothingCanBeWrittenIsABadOption() throws IOException {
        Path input = Files.writeString(dir.resolve("rows.jsonl"), ROW);
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        CliRun under = CliRun.of("data", "export", "--input", input.toString(), "--output", notADirectory.resolve("sub/out.json").toString());
        assertThat(under.exitCode()).as(under.err()).isEqualTo(2);
        assertThat(under.err()).contains("--output " + notADirectory.resolve("sub/out.json") + ": " + notADirectory + " is not a directory");

        try (ReadOnlyDirectory readOnly = ReadOnlyDirectory.create(dir.resolve("ro"))) {
            for (String[] args : List.of(
                    new String[] {"data", "export", "--input", input.toString(), "--output", readOnly.path().resolve("out.json").toString()},
                    new String[] {"eval", "rouge", "--input", input.toString(), "--output", readOnly.path().resolve("sub/r.json").toString()},
                    new String[] {"generate", "answers", "--input", input.toString(), "--output", readOnly.path().resolve("o.jsonl").toString(),
                        "--api-key-env", "PATH", "--base-url", "http://127.0.0.1:9/v1"})) {
                CliRun run = CliRun.of(args);
                assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
                assertThat(run.err()).contains("the directory " + readOnly.path() + " is read-only").contains("nothing was written");
            }
            try (Stream<Path> files = Files.list(readOnly.path())) {
                assertThat(files).isEmpty();
            }
        }
    }

    /** Every option that names a path says whether the command reads or writes it, so no command escapes the checks. */
    @Test
    void everyPathOptionOfEveryCommandSaysWhetherItIsReadOrWritten() {
        List<String> unmarked = new ArrayList<>();
        walk(Instruct4jCommand.commandLine(), unmarked);
        assertThat(unmarked).isEmpty();
    }

    private static void walk(CommandLine command, List<String> unmarked) {
        for (ArgSpec arg : command.getCommandSpec().args()) {
            if (arg.userObject() instanceof Field field && namesPaths(arg)
                    && field.getAnnotation(Reads.class) == null && field.getAnnotation(Writes.class) == null) {
                unmarked.add(command.getCommandSpec().qualifiedName() + " " + field.getName());
            }
        }
        command.getSubcommands().values().forEach(sub -> walk(sub, unmarked));
    }

    private static boolean namesPaths(ArgSpec arg) {
        return arg.type() == Path.class || arg.auxiliaryTypes()[0] == Path.class;
    }

    private static String[] withFile(List<String> args, Path file) {
        return args.stream().map(a -> a.replace("{X}", file.toString())).toArray(String[]::new);
    }

    private void assertOnly(Path... files) throws IOException {
        try (Stream<Path> present = Files.list(dir)) {
            assertThat(present).containsExactlyInAnyOrder(files);
        }
    }

    /** A directory nothing can be written into, even by root: a read-only tmpfs, or without root a chmod 555. */
    private record ReadOnlyDirectory(Path path, Optional<Tmpfs> mount) implements AutoCloseable {
        static ReadOnlyDirectory create(Path path) throws IOException {
            Files.createDirectories(path);
            Optional<Tmpfs> mount = Tmpfs.mount(path, "ro,size=64k");
            if (mount.isEmpty()) {
                assumeTrue(!"root".equals(System.getProperty("user.name")) && path.toFile().setWritable(false, false),
                        "cannot make a directory read-only here");
            }
            return new ReadOnlyDirectory(path, mount);
        }

        @Override
        public void close() {
            mount.ifPresentOrElse(Tmpfs::close, () -> path.toFile().setWritable(true, false));
        }
    }
}
