package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train sft --nproc 2} as a user runs it: real worker JVMs meeting over 127.0.0.1 (c10d TCPStore, Gloo) on the
 * real stories260K model. Two ranks of batch B give the loss curve of one process of batch 2B; kill -9 of a rank stops
 * the job naming the rank and leaves a checkpoint that a single process resumes; bad settings exit 2 before any
 * worker starts.
 */
class DistributedTrainingTest {
    static final String STORIES = SharedData.path("models/stories260K/stories260K.bin").toString();
    static final String TOKENIZER = SharedData.path("models/stories260K/tok512.bin").toString();

    @TempDir
    Path dir;

    private String[] sft(Path data, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "sft", "--base", STORIES, "--tokenizer", TOKENIZER,
                "--data", data.toString(), "--output", output.toString(), "--precision=fp32", "--micro-batch-size=2",
                "--epochs=1", "--lr=1e-3", "--max-length=256", "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void twoProcessesOfBatchBGiveTheLossCurveOfOneProcessOfBatch2B() throws Exception {
        Path data = alpacaSubset(40);
        Path single = dir.resolve("single");
        Path two = dir.resolve("two");
        String[] common = {"--batch-size=8", "--eval-fraction=0.1", "--eval-steps=2", "--save-steps=2"};
        CliRun reference = CliRun.of(sft(data, single, common));
        assertThat(reference.exitCode()).as(reference.err()).isZero();
        CliRun distributed = CliRun.of(concat(sft(data, two, common), "--nproc=2", "--master-port=" + freePort()));
        assertThat(distributed.exitCode()).as(distributed.err()).isZero();
        assertThat(distributed.out()).contains("[rank 0] finished 5/5 steps", "[rank 1] finished 5/5 steps");

        List<JsonNode> expected = metrics(single);
        List<JsonNode> actual = metrics(two);
        assertThat(expected).as("the evaluation before training and 5 steps").hasSize(6);
        assertThat(actual).as("rank 0 alone writes the metrics").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            JsonNode a = actual.get(i);
            assertThat(a.get("step").asInt()).isEqualTo(i);
            assertThat(a.path("target_tokens").asLong()).as("step %d: the global batch's tokens", i).isEqualTo(e.path("target_tokens").asLong());
            assertThat(a.path("loss").asDouble(-1)).as("step %d loss", i).isCloseTo(e.path("loss").asDouble(-1), within(2e-5));
            assertThat(a.path("grad_norm").asDouble(-1)).as("step %d grad norm", i).isCloseTo(e.path("grad_norm").asDouble(-1), within(2e-4));
            assertThat(a.path("eval_loss").asDouble(-1)).as("step %d eval loss", i).isCloseTo(e.path("eval_loss").asDouble(-1), within(2e-5));
        }
        assertThat(two.resolve("model.safetensors")).exists();
        assertThat(two.resolve("train_summary.json")).exists();
        try (var checkpoints = Files.list(two.resolve("checkpoints"))) {
            assertThat(checkpoints.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("step-000002", "step-000004");
        }
    }

    @Test
    void killMinus9OfOneRankStopsTheJobNamingItAndOneProcessResumesFromTheCheckpoint() throws Exception {
        Path data = alpacaSubset(96);
        Path killed = dir.resolve("killed");
        Path uninterrupted = dir.resolve("uninterrupted");
        String[] common = {"--batch-size=4", "--save-steps=2"};
        Path launcherErr = dir.resolve("launcher.err");
        Process launcher = launch(concat(sft(data, killed, common), "--nproc=2", "--master-port=" + freePort()), launcherErr);
        ProcessHandle rank1 = waitForCheckpointThenFindRank1(killed, launcher, launcherErr);
        rank1.destroyForcibly(); // SIGKILL
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("the launcher stops").isTrue();
        String err = Files.readString(launcherErr);
        assertThat(launcher.exitValue()).as(err).isEqualTo(1);
        assertThat(err).contains("rank 1 (pid " + rank1.pid() + ") was killed by signal 9 (SIGKILL)", "--resume");
        assertThat(launcher.descendants().filter(ProcessHandle::isAlive).toList()).as("no worker left running").isEmpty();
        assertThat(killed.resolve("train_summary.json")).doesNotExist();

        CliRun resumed = CliRun.of(concat(sft(data, killed, common), "--resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        CliRun reference = CliRun.of(sft(data, uninterrupted, common));
        assertThat(reference.exitCode()).as(reference.err()).isZero();
        List<JsonNode> expected = metrics(uninterrupted);
        List<JsonNode> actual = metrics(killed);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).get("step").asInt()).isEqualTo(expected.get(i).get("step").asInt());
            assertThat(actual.get(i).path("loss").asDouble(-1)).as("step %d", i + 1)
                    .isCloseTo(expected.get(i).path("loss").asDouble(-1), within(2e-5));
        }
    }

    @Test
    void badDistributedSettingsExitWith2BeforeAnyWorkerStarts() throws Exception {
        Path data = alpacaSubset(8);
        Path output = dir.resolve("out");
        CliRun zero = CliRun.of(concat(sft(data, output, "--batch-size=4"), "--nproc=0"));
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("nproc must be positive, got 0");

        CliRun nccl = CliRun.of(concat(sft(data, output, "--batch-size=4"), "--nproc=2", "--dist-backend=nccl"));
        assertThat(nccl.exitCode()).isEqualTo(2);
        assertThat(nccl.err()).contains("--dist-backend nccl needs CUDA", "--dist-backend gloo");

        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            CliRun busy = CliRun.of(concat(sft(data, output, "--batch-size=4"), "--nproc=2", "--master-port=" + port));
            assertThat(busy.exitCode()).isEqualTo(2);
            assertThat(busy.err()).contains("--master-port " + port + " on 127.0.0.1 is in use");
        }

        CliRun uneven = CliRun.of(concat(sft(data, output, "--batch-size=4"), "--nproc=3"));
        assertThat(uneven.exitCode()).isEqualTo(2);
        assertThat(uneven.err()).contains("batch-size 4 is not a multiple of the 3 processes");

        CliRun node = CliRun.of(concat(sft(data, output, "--batch-size=4"), "--nproc=2", "--nnodes=2", "--node-rank=2"));
        assertThat(node.exitCode()).isEqualTo(2);
        assertThat(node.err()).contains("node-rank 2 is not below nnodes 2");
        assertThat(output).doesNotExist();
    }

    private static String[] concat(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Process launch(String[] args, Path err) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(err.toFile());
        return builder.start();
    }

    /** Once checkpoint 2 is written: the worker whose environment says RANK=1 (Linux /proc). */
    private static ProcessHandle waitForCheckpointThenFindRank1(Path run, Process launcher, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && launcher.isAlive()) {
            if (Files.isDirectory(run.resolve("checkpoints/step-000002"))) {
                Optional<ProcessHandle> rank1 = launcher.children().filter(p -> environment(p).contains("\0RANK=1\0")).findFirst();
                if (rank1.isPresent()) {
                    return rank1.get();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no checkpoint 2 while both ranks ran; launcher alive=" + launcher.isAlive() + " stderr="
                + Files.readString(err));
    }

    private static String environment(ProcessHandle process) {
        try {
            return "\0" + new String(Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "environ")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private Path alpacaSubset(int rows) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        int taken = 0;
        for (AlpacaExample example : Datasets.readAll(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), AlpacaExample::fromJson)) {
            if (taken < rows && example.output().length() <= 150 && example.input().length() < 200) {
                jsonl.append(Json.line(example.toJson())).append('\n');
                taken++;
            }
        }
        Path file = dir.resolve("subset-" + rows + ".jsonl");
        Files.writeString(file, jsonl);
        return file;
    }

    private static List<JsonNode> metrics(Path run) {
        List<JsonNode> rows = new ArrayList<>();
        Datasets.forEach(run.resolve("metrics.jsonl"), row -> row.node(), rows::add);
        return rows;
    }
}
