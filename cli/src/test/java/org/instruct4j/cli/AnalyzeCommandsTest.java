package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.instruct4j.core.io.Json;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The analyze commands on the real data, and their handling of bad input (exit 2, file:line:field, nothing written). */
class AnalyzeCommandsTest {
    private static final String ALPACA = SharedData.path("alpaca/alpaca_5000_subset_pr152.json").toString();
    private static final String GPT35 = SharedData.path("fastchat/eval_table/answer/answer_gpt35.jsonl").toString();
    private static final String BARD = SharedData.path("fastchat/eval_table/answer/answer_bard.jsonl").toString();
    private static final String SCORES = SharedData.path("gpt4llm/cmp_data_scores.json").toString();

    @TempDir
    Path dir;

    private static JsonNode json(Path file) throws IOException {
        return Json.MAPPER.readTree(file.toFile());
    }

    @Test
    void lengthsComparesDatasets() throws IOException {
        Path output = dir.resolve("lengths.json");
        CliRun run = CliRun.of("analyze", "lengths", "--input", ALPACA, "--input", GPT35, "--name", "Alpaca (GPT-3.5)",
                "--output", output.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Alpaca (GPT-3.5)").contains("answer_gpt35").contains("5,000").contains("45.2");
        JsonNode datasets = json(output).get("datasets");
        assertThat(datasets.get(0).get("median").asDouble()).isEqualTo(32.0);
        assertThat(datasets.get(0).at("/histogram/counts")).hasSize(100);
        long binned = 0;
        for (JsonNode count : datasets.get(0).at("/histogram/counts")) {
            binned += count.asLong();
        }
        assertThat(binned).isEqualTo(5000);
        assertThat(datasets.get(1).get("rows").asInt()).isEqualTo(80);
    }

    @Test
    void scoresReadsGpt4LlmScoreLists() throws IOException {
        Path output = dir.resolve("scores.json");
        CliRun run = CliRun.of("analyze", "scores", "--input", SCORES, "--output", output.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("text-davinci-003").contains("51,445").contains("9.5 (%)");
        assertThat(json(output).at("/sources/2/counts/9").asLong()).isEqualTo(46065);
    }

    @Test
    void verbsPrintsPairsAndWritesJson() throws IOException {
        Path output = dir.resolve("pairs.json");
        CliRun run = CliRun.of("analyze", "verbs", "--input", BARD, "--top", "5", "--output", output.toString(), "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Top 5 pairs:").contains("Sunburst (top 20 verbs x top 4 nouns, count > 10):");
        JsonNode bard = json(output).at("/datasets/0");
        assertThat(bard.get("field").asText()).isEqualTo("text");
        assertThat(bard.get("rows").asInt()).isEqualTo(80);
        assertThat(bard.get("rows_with_verb_root").asInt()).isBetween(1, 80);
        assertThat(bard.get("top_pairs").size()).isBetween(1, 5);
    }

    @Test
    void reportWritesThePageAndItsPngs() throws IOException {
        Path html = dir.resolve("report/analysis.html");
        CliRun run = CliRun.of("analyze", "report", "--input", GPT35, "--input", BARD, "--name", "ChatGPT", "--name", "Bard",
                "--scores", SCORES, "--output", html.toString(), "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (Stream<Path> files = Files.list(html.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("analysis.html",
                    "analysis-top-pairs.png", "analysis-lengths.png", "analysis-scores.png");
        }
        String page = Files.readString(html);
        // 80 answers hold no pair seen more than 10 times: the page says so instead of drawing an empty sunburst
        assertThat(page.contains("No verb-noun pair of ChatGPT occurs more than 10 times")).isTrue();
        assertThat(page.contains("<td>icm-1.3b</td>")).isTrue();
        assertThat(page.contains("echarts")).isTrue();
        assertThat(run.err()).contains("wrote " + html);
    }

    @ParameterizedTest
    @ValueSource(strings = {"verbs", "lengths", "report"})
    void aMissingTextFieldStopsBeforeAnyWork(String command) throws IOException {
        Path input = Files.writeString(dir.resolve("rows.jsonl"), "{\"output\": \"Write a poem.\"}\n{\"outptu\": \"x\"}\n");
        Path output = dir.resolve("out/result.json");
        CliRun run = CliRun.of("analyze", command, "--input", input.toString(), "--output", output.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + input + ":2: field \"output\": missing");
        assertThat(run.err()).doesNotContain("loading");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"verbs", "lengths", "report", "scores"})
    void anUnreadableInputIsBadInput(String command) {
        Path output = dir.resolve("out/result.json");
        CliRun run = CliRun.of("analyze", command, "--input", dir.resolve("absent.json").toString(), "--output", output.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + dir.resolve("absent.json") + ": no such file");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aWrongFieldChoiceNamesTheRow() {
        CliRun run = CliRun.of("analyze", "lengths", "--input", GPT35, "--field", "output");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + GPT35 + ":1: field \"output\": missing");
    }

    @Test
    void badScoresInTheReportWriteNothing() throws IOException {
        Path scores = Files.writeString(dir.resolve("scores.json"), "{\"gpt4\": [9.0, \"nine\"]}\n");
        Path html = dir.resolve("out/report.html");
        CliRun run = CliRun.of("analyze", "report", "--input", GPT35, "--scores", scores.toString(), "--output", html.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + scores + ":1: field \"gpt4[1]\": expected a number");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void optionsAreChecked() {
        assertThat(CliRun.of("analyze", "verbs", "--input", GPT35, "--threads", "0").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("analyze", "report", "--input", GPT35, "--top", "0", "--output", dir.resolve("r.html").toString())
                .exitCode()).isEqualTo(2);
        assertThat(CliRun.of("analyze", "lengths", "--input", GPT35, "--input", GPT35).err())
                .contains("two datasets are named \"answer_gpt35\"");
    }
}
