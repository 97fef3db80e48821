package org.instruct4j.spark.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.report.AnalysisJson;
import org.instruct4j.analysis.verbs.VerbNoun;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.analysis.verbs.VerbNounRun;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.spark.OutputRows;
import org.instruct4j.spark.SparkCli;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark analyze verbs} on real Alpaca instructions finds, row by row and in total, what the single-machine run finds. */
class SparkVerbsTest {
    private static final Path ALPACA = SharedData.path("alpaca/alpaca_5000_subset_pr152.json");
    private static final int ROWS = 300;

    @TempDir
    Path dir;

    @Test
    void countsEqualTheSingleMachineAnalysis() throws IOException {
        Path output = dir.resolve("verbs");

        SparkCli run = SparkCli.run("analyze", "verbs", "--input", ALPACA.toString(), "--field", "instruction", "--name", "alpaca",
                "--limit", Integer.toString(ROWS), "--output", output.toString(), "--partitions", "3");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        List<String> texts = DatasetTexts.read(ALPACA, null, "instruction").texts().subList(0, ROWS);
        List<Optional<VerbNoun>> single;
        try (Progress none = Progress.create("verbs", ROWS, "rows", true)) {
            single = VerbNounRun.extractAll(SharedExtractor.get()::extract, texts, 2, none);
        }
        Map<String, ObjectNode> rows = OutputRows.byId(output);
        assertThat(rows).hasSize(ROWS);
        for (int i = 0; i < ROWS; i++) {
            ObjectNode row = rows.get(Integer.toString(i));
            assertThat(Optional.ofNullable(row.get("verb").textValue()).map(verb -> new VerbNoun(verb, row.get("noun").textValue())))
                    .as("row %d: %s", i, texts.get(i)).isEqualTo(single.get(i));
        }
        VerbNounCounts counts = VerbNounCounts.of(single);
        assertThat(counts.pairRows()).as("rows with a verb-noun pair").isGreaterThan(ROWS / 3);
        ObjectNode expected = Json.object();
        expected.putArray("datasets").add(AnalysisJson.verbs(new DatasetTexts("alpaca", ALPACA, "instruction", List.of()), counts, 25));
        JsonNode result = Json.MAPPER.readTree(Files.readString(dir.resolve("verbs.result.json")));
        // compared as parsed text: a number read back is an int node where the counts wrote a long one
        assertThat(result).isEqualTo(Json.MAPPER.readTree(expected.toString()));
        assertThat(run.out()).contains("alpaca", Long.toString(counts.uniquePairs()), counts.top(1).get(0).verb());
    }
}
