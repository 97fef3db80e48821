package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train sft --nproc 2} as a user runs it: real worker JVMs meeting over 127.0.0.1 (c10d TCPStore, Gloo) on the
 * real stories260K model. Two ranks of batch B give the loss curve of one process of batch 2B; kill -9 of a rank stops
 * the job naming the rank and leaves a checkpoint that a single process resumes; the reward model and DPO split the
 * same way; bad settings exit 2 before any worker starts.
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
        Path data = TrainingRuns.alpacaSubset(dir, 40);
        Path single = dir.resolve("single");
        Path two = dir.resolve("two");
        String[] common = {"--batch-size=8", "--eval-fraction=0.1", "--eval-steps=2", "--save-steps=2"};
        CliRun reference = CliRun.of(sft(data, single, common));
        assertThat(reference.exitCode()).as(reference.err()).isZero();
        CliRun distributed = CliRun.of(concat(sft(data, two, common), "--nproc=2", "--master-port=" + freePort()));
        assertThat(distributed.exitCode()).as(distributed.err()).isZero();
        assertThat(distributed.out()).contains("[rank 0] finished 5/5 steps", "[rank 1] finished 5/5 steps");

        List<JsonNode> expected = TrainingRuns.metrics(single);
        List<JsonNode> actual = TrainingRuns.metrics(two);
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
        Path data = TrainingRuns.alpacaSubset(dir, 96);
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
        List<JsonNode> expected = TrainingRuns.metrics(uninterrupted);
        List<JsonNode> actual = TrainingRuns.metrics(killed);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).get("step").asInt()).isEqualTo(expected.get(i).get("step").asInt());
            assertThat(actual.get(i).path("loss").asDouble(-1)).as("step %d", i + 1)
                    .isCloseTo(expected.get(i).path("loss").asDouble(-1), within(2e-5));
        }
    }

    @Test
    void rewardAndDpoWithTwoProcessesGiveTheOneProcessLossCurve() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (String instruction : RewardCommandsTest.INSTRUCTIONS) {
            ObjectNode row = Json.object().put("user_input", AlpacaPrompt.render(instruction, ""));
            ArrayNode responses = row.putArray("responses_and_scores");
            responses.addObject().put("response", "No.").put("score", 2).put("source", "icm-1.3b");
            responses.addObject().put("response", RewardCommandsTest.GOOD).put("score", 9).put("source", "gpt4");
            responses.addObject().put("response", "Maybe later.").put("score", 6).put("source", "text-davinci-003");
            jsonl.append(Json.line(row)).append('\n');
        }
        Path comparisons = dir.resolve("comparison_v2.jsonl");
        Files.writeString(comparisons, jsonl);
        for (String recipe : List.of("reward", "dpo")) {
            List<List<JsonNode>> curves = new ArrayList<>();
            for (int nproc : new int[] {1, 2}) {
                Path output = dir.resolve(recipe + "-" + nproc);
                CliRun run = CliRun.of("train", recipe, "--base", STORIES, "--tokenizer", TOKENIZER, "--data", comparisons.toString(),
                        "--output", output.toString(), "--precision=fp32", "--max-length=160", "--max-steps=3", "--batch-size=4",
                        "--micro-batch-size=1", "--lr=3e-3", "--save-steps=0", "--quiet", "--nproc=" + nproc, "--master-port=" + freePort());
                assertThat(run.exitCode()).as(run.err()).isZero();
                curves.add(TrainingRuns.metrics(output));
            }
            // the held-out evaluation (both recipes hold out rows by default) at step 0 and at the end, and 3 steps
            assertThat(curves.get(0)).as(recipe).hasSize(4);
            assertThat(curves.get(1)).as(recipe).hasSameSizeAs(curves.get(0));
            for (int i = 0; i < 4; i++) {
                JsonNode e = curves.get(0).get(i);
                JsonNode a = curves.get(1).get(i);
                assertThat(a.get("step").asInt()).isEqualTo(i);
                assertThat(a.path("loss").asDouble(-1)).as("%s step %d loss", recipe, i).isCloseTo(e.path("loss").asDouble(-1), within(2e-5));
                assertThat(a.path("grad_norm").asDouble(-1)).as("%s step %d grad norm", recipe, i)
                        .isCloseTo(e.path("grad_norm").asDouble(-1), within(2e-4));
                assertThat(a.path("eval_loss").asDouble(-1)).as("%s step %d eval loss", recipe, i)
                        .isCloseTo(e.path("eval_loss").asDouble(-1), within(2e-5));
            }
        }
    }

    @Test
    void badDistributedSettingsExitWith2BeforeAnyWorkerStarts() throws Exception {
        Path data = TrainingRuns.alpacaSubset(dir, 8);
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

}
