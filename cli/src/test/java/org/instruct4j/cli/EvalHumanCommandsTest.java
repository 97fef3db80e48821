package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.human.AnnotationStore;
import org.instruct4j.eval.human.Database;
import org.instruct4j.eval.human.Pair;
import org.instruct4j.eval.human.PairsFile;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval human pairs, admin add-annotator, export and results through the command line, on real FastChat answers. */
class EvalHumanCommandsTest {
    @TempDir
    Path dir;

    @Test
    void pairsAnnotatorsExportAndResults() throws Exception {
        Path pairs = dir.resolve("pairs.jsonl");
        CliRun built = CliRun.of("eval", "human", "pairs", "--questions", SharedData.path("fastchat/eval_table/question.jsonl").toString(),
                "--answers", SharedData.path("fastchat/eval_table/answer/answer_alpaca-13b.jsonl").toString(),
                "--answers", SharedData.path("fastchat/eval_table/answer/answer_vicuna-13b.jsonl").toString(),
                "--output", pairs.toString(), "--limit", "10");
        assertThat(built.exitCode()).as(built.err()).isZero();
        List<Pair> items = PairsFile.read(pairs);
        assertThat(items).hasSize(10);
        assertThat(items.get(0).modelA()).isEqualTo("alpaca-13b:v1");
        assertThat(items.get(0).question()).isEqualTo("How can I improve my time management skills?");

        String db = "sqlite:" + dir.resolve("annotations.db");
        CliRun added = CliRun.of("eval", "human", "admin", "add-annotator", "ann", "--db", db);
        assertThat(added.exitCode()).as(added.err()).isZero();
        String token = added.out().strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(added.err()).contains("shown only now").doesNotContain(token);
        assertThat(new String(Files.readAllBytes(dir.resolve("annotations.db")), StandardCharsets.ISO_8859_1)).doesNotContain(token);
        CliRun again = CliRun.of("eval", "human", "admin", "add-annotator", "ann", "--db", db);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already exists");

        try (AnnotationStore store = AnnotationStore.open(Database.of(db))) {
            String annotator = store.signIn(token).orElseThrow().session().annotatorId();
            List<Pair> loaded = store.loadPairs(items);
            AnnotationStore.Shown shown;
            while ((shown = store.nextItem(annotator, loaded).orElse(null)) != null) {
                // model A (alpaca) better on helpfulness, tie on honesty, model B better on harmlessness
                store.submit(annotator, shown.pair().pairId(), shown.aOnLeft() ? "left" : "right", "tie", shown.aOnLeft() ? "right" : "left");
            }
        }

        Path export = dir.resolve("judgments.jsonl");
        CliRun exported = CliRun.of("eval", "human", "export", "--db", db, "--output", export.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(export)) {
            rows.add(Json.MAPPER.readTree(line));
        }
        assertThat(rows).hasSize(10).allSatisfy(row -> {
            assertThat(row.get("helpfulness").asText()).isEqualTo("A");
            assertThat(row.get("honesty").asText()).isEqualTo("tie");
            assertThat(row.get("harmlessness").asText()).isEqualTo("B");
            assertThat(row.get("model_b").asText()).isEqualTo("vicuna-13b:20230322-clean-lang");
        });

        Path html = dir.resolve("results/results.html");
        CliRun results = CliRun.of("eval", "human", "results", "--db", db, "--output", html.toString(),
                "--json", dir.resolve("results/results.json").toString());
        assertThat(results.exitCode()).as(results.err()).isZero();
        assertThat(results.out()).contains("alpaca-13b:v1 (A) vs vicuna-13b:20230322-clean-lang (B): 10 judgments by 1 annotators",
                "Helpfulness", "10 (100.0%)");
        assertThat(Files.readString(html)).contains("Human evaluation", "echarts");
        assertThat(html.resolveSibling("results-1.png")).isNotEmptyFile();
        JsonNode json = Json.MAPPER.readTree(dir.resolve("results/results.json").toFile());
        assertThat(json.get("comparisons").get(0).get("harmlessness").get("b_better").asInt()).isEqualTo(10);
    }
}
