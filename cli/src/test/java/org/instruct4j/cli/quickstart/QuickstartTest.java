package org.instruct4j.cli.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.Device;
import org.instruct4j.cli.Main;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.testkit.FakeHubServer;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end on the real stories260K model and real instruction data: offline, and through a hub. */
class QuickstartTest {
    private static final Path CHECKPOINT = SharedData.path("models/stories260K/stories260K.bin");
    private static final Path TOKENIZER = SharedData.path("models/stories260K/tok512.bin");
    private static final Path DATA = SharedData.path("alpaca/alpaca_5000_subset_pr152.json");
    private static final Path QUESTIONS = SharedData.path("gpt4llm/vicuna_question_80.jsonl");

    @TempDir
    Path dir;

    private static List<String> small(Path output) {
        return List.of("--output", output.toString(), "--questions", QUESTIONS.toString(), "--train-rows", "96",
                "--held-out", "12", "--max-new-tokens", "16", "--sft", "max-steps=3", "--sft", "eval-steps=2", "--quiet");
    }

    @Test
    void offlineFromLocalFilesToAReportAndAgainWithoutRedoingIt() throws Exception {
        Path output = dir.resolve("run");
        String[] args = concat(List.of("quickstart", "--data", DATA.toString(), "--base", CHECKPOINT.toString(),
                "--tokenizer", TOKENIZER.toString()), small(output));
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), args)).as(err.toString()).isZero();

        assertThat(Datasets.readAll(output.resolve("data/heldout.jsonl"), r -> r)).hasSize(12);
        assertThat(Datasets.readAll(output.resolve("data/train.jsonl"), r -> r)).hasSize(96);
        assertThat(Datasets.readAll(output.resolve("eval/vicuna_answers.jsonl"), r -> r)).hasSize(80)
                .allSatisfy(row -> assertThat(row.string("model_id")).isEqualTo("instruct4j-quickstart"));
        assertThat(Datasets.readAll(output.resolve("eval/heldout_answers.jsonl"), r -> r)).hasSize(12);
        JsonNode rouge = Json.MAPPER.readTree(output.resolve("eval/heldout_rouge.json").toFile());
        assertThat(rouge.toString()).contains("\"ALL\"").contains("rougeL");
        String html = Files.readString(output.resolve("report.html"));
        assertThat(html).contains("held-out loss after training").contains("Vicuna questions").contains("echarts");
        assertThat(output.resolve("loss.png")).exists();
        var student = ModelDirectory.load(output.resolve("model"), Precision.FP32, new Device("cpu"));
        assertThat(student.model().vocabSize()).isEqualTo(512);
        assertThat(err.toString()).contains("3 training steps");

        StringWriter again = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(again, true), args)).isZero();
        assertThat(again.toString()).contains("already trained");
    }

    @Test
    void downloadsTheDataAndTheBaseModelFromTheHub() throws Exception {
        Path hubModel = dir.resolve("hub-model");
        var base = ModelDirectory.loadLlama2c(CHECKPOINT, TOKENIZER, Precision.FP32, new Device("cpu"));
        ModelDirectory.save(base.model(), hubModel, TOKENIZER);
        try (FakeHubServer hub = new FakeHubServer().start()) {
            hub.file(true, "acme/alpaca-gpt4", "alpaca_gpt4_data_en.json", Files.readAllBytes(DATA));
            try (var files = Files.list(hubModel)) {
                for (Path file : files.toList()) {
                    hub.file(false, "acme/tiny-stories", file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
            Path output = dir.resolve("run");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(concat(List.of(java, "--add-modules=jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64", "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(), "quickstart", "--data", "hf:datasets/acme/alpaca-gpt4/alpaca_gpt4_data_en.json",
                    "--base", "hf:acme/tiny-stories"), small(output)));
            builder.environment().put("HF_ENDPOINT", hub.endpoint());
            builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            builder.redirectErrorStream(true);
            Process process = builder.start();
            String log = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(log).isZero();

            assertThat(hub.requests()).contains("/api/datasets/acme/alpaca-gpt4/revision/main",
                    "/datasets/acme/alpaca-gpt4/resolve/main/alpaca_gpt4_data_en.json", "/acme/tiny-stories/resolve/main/model.safetensors");
            assertThat(output.resolve("downloads/datasets/acme/alpaca-gpt4/alpaca_gpt4_data_en.json")).hasSameBinaryContentAs(DATA);
            assertThat(output.resolve("report.html")).exists();
        }
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
