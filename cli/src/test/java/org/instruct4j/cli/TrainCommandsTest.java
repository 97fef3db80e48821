package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train sft, train plot and model merge-lora as a user runs them, including a real kill -9 of the training JVM
 * mid-run: the resumed run's loss curve equals the uninterrupted one.
 */
class TrainCommandsTest {
    static final String STORIES = SharedData.path("models/stories260K/stories260K.bin").toString();
    static final String TOKENIZER = SharedData.path("models/stories260K/tok512.bin").toString();

    @TempDir
    Path dir;

    private String[] sft(Path data, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "sft", "--base", STORIES, "--tokenizer", TOKENIZER,
                "--data", data.toString(), "--output", output.toString(), "--precision=fp32", "--batch-size=4",
                "--micro-batch-size=2", "--epochs=1", "--lr=1e-3", "--max-length=256", "--save-steps=2",
                "--eval-fraction=0.125", "--eval-steps=3", "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void killMinus9DuringTrainingThenResumeGivesTheUninterruptedLossCurve() throws Exception {
        Path data = TrainingRuns.alpacaSubset(dir, 64);
        Path uninterrupted = dir.resolve("uninterrupted");
        Path killed = dir.resolve("killed");
        // both runs recompute their layers in the backward pass (equal to the plain pass to 1e-5: GradientCheckpointingRunTest)
        Process child = launch(sft(data, killed, "--gradient-checkpointing"));
        waitForCheckpointAndLines(killed, 3, child);
        child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        assertThat(killed.resolve("train_summary.json")).doesNotExist();
        CliRun reference = CliRun.of(sft(data, uninterrupted, "--gradient-checkpointing"));
        assertThat(reference.exitCode()).as(reference.err()).isZero();

        Process resumed = launch(sft(data, killed, "--gradient-checkpointing", "--resume"));
        assertThat(resumed.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(resumed.exitValue()).as(new String(resumed.getErrorStream().readAllBytes())).isZero();

        List<JsonNode> expected = TrainingRuns.metrics(uninterrupted);
        List<JsonNode> actual = TrainingRuns.metrics(killed);
        assertThat(expected).as("step 0 (evaluation before training) and 14 steps").hasSize(15);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).get("step").asInt()).isEqualTo(i);
            assertThat(actual.get(i).path("loss").asDouble(-1)).as("step %d", i)
                    .isCloseTo(expected.get(i).path("loss").asDouble(-1), within(1e-6));
            assertThat(actual.get(i).path("eval_loss").asDouble(-1)).isCloseTo(expected.get(i).path("eval_loss").asDouble(-1), within(1e-6));
        }
        assertThat(Files.readAllBytes(killed.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(uninterrupted.resolve("model.safetensors")));

        CliRun plot = CliRun.of("train", "plot", "--run", uninterrupted.toString(), "--run", killed.toString(),
                "--output", dir.resolve("loss.html").toString());
        assertThat(plot.exitCode()).as(plot.err()).isZero();
        assertThat(Files.readString(dir.resolve("loss.html"))).contains("uninterrupted train", "killed eval");
        assertThat(Files.size(dir.resolve("loss.png"))).isGreaterThan(1000);
    }

    @Test
    void badRowsUnknownSettingsAndBadValuesExitWith2AndWriteNothing() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[{\"instruction\": \"Hi\", \"output\": \"Hello\"},\n {\"instruction\": \"Bye\"}]\n");
        Path output = dir.resolve("out");
        CliRun badRow = CliRun.of(sft(bad, output));
        assertThat(badRow.exitCode()).isEqualTo(2);
        assertThat(badRow.err()).contains("bad.json:[1] (line 2)", "\"output\"", "missing");

        Path good = TrainingRuns.alpacaSubset(dir, 8);
        CliRun unknown = CliRun.of(sft(good, output, "--learning-rate=3"));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown setting 'learning-rate'");
        CliRun badValue = CliRun.of(sft(good, output, "--epochs=three"));
        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.err()).contains("--epochs: epochs: 'three' is not an integer");
        assertThat(output).doesNotExist();
    }

    @Test
    void aFullDiskDuringACheckpointExitsWith1KeepsThePreviousOneAndResumeFinishesTheRun() throws Exception {
        Path data = TrainingRuns.alpacaSubset(dir, 32);
        Path disk = dir.resolve("small-disk");
        Files.createDirectories(disk);
        // a 5 MB file system holds the first checkpoint of stories260K (3.1 MB: model, AdamW state) but not the second
        assumeTrue(mount(disk, "size=5m"), "needs root to mount a small tmpfs");
        try {
            Path output = disk.resolve("run");
            CliRun full = CliRun.of(sft(data, output, "--save-steps=1", "--save-total-limit=3"));
            assertThat(full.exitCode()).as(full.err()).isEqualTo(1);
            assertThat(full.err()).contains("cannot write checkpoint " + output.resolve("checkpoints/step-000002"),
                    "No space left on device", "the disk is full",
                    "The previous checkpoint " + output.resolve("checkpoints/step-000001") + " is intact", "rerun with --resume");
            try (var left = Files.list(output.resolve("checkpoints"))) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly("step-000001");
            }

            assertThat(mount(disk, "remount,size=64m")).isTrue();
            CliRun resumed = CliRun.of(sft(data, output, "--save-steps=1", "--save-total-limit=3", "--resume"));
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            CliRun reference = CliRun.of(sft(data, dir.resolve("reference"), "--save-steps=1", "--save-total-limit=3"));
            assertThat(reference.exitCode()).as(reference.err()).isZero();
            List<JsonNode> expected = TrainingRuns.metrics(dir.resolve("reference"));
            List<JsonNode> actual = TrainingRuns.metrics(output);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).path("loss").asDouble(-1)).as("step %d", i)
                        .isCloseTo(expected.get(i).path("loss").asDouble(-1), within(1e-6));
            }
        } finally {
            new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLengthTheModelCannotHonourExitsWith2BeforeAnythingIsWritten() throws Exception {
        Path output = dir.resolve("out");
        CliRun run = CliRun.of(sft(TrainingRuns.alpacaSubset(dir, 8), output, "--max-length=100000"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--max-length 100000 is longer than the 512 positions the base model has");
        assertThat(output).doesNotExist();
    }

    /** Mounts a tmpfs with {@code options} on {@code dir}; false when that is not allowed here. */
    private static boolean mount(Path dir, String options) throws Exception {
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            mount.getInputStream().readAllBytes();
            return mount.waitFor(60, TimeUnit.SECONDS) && mount.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void loraRunThenMergeLoraGivesAModelDirectoryThatGenerates() throws Exception {
        Path data = TrainingRuns.alpacaSubset(dir, 8);
        Path adapter = dir.resolve("adapter");
        CliRun run = CliRun.of(sft(data, adapter, "--lora", "--lora-r=4", "--eval-fraction=0"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(adapter.resolve("adapter_config.json")).exists();
        assertThat(adapter.resolve("adapter_model.safetensors")).exists();

        Path merged = dir.resolve("merged");
        CliRun merge = CliRun.of("model", "merge-lora", "--adapter", adapter.toString(), "--output", merged.toString());
        assertThat(merge.exitCode()).as(merge.err()).isZero();
        CliRun generate = CliRun.of("generate-text", "--model", merged.toString(), "--prompt", "Once upon a time",
                "--max-new-tokens", "8");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).isNotBlank();
    }

    private static Process launch(String[] args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static void waitForCheckpointAndLines(Path run, int lines, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        Path metrics = run.resolve("metrics.jsonl");
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.isDirectory(run.resolve("checkpoints/step-000002")) && Files.exists(metrics)
                    && Files.readAllLines(metrics).size() >= lines) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("training did not reach a checkpoint and " + lines + " logged steps; alive=" + process.isAlive()
                + " stderr=" + new String(process.getErrorStream().readAllBytes()));
    }

}
