package org.instruct4j.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.lengths.LengthStats;
import org.instruct4j.analysis.scores.SourceScores;
import org.instruct4j.analysis.verbs.VerbNoun;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisReportTest {
    @TempDir
    Path dir;

    private static DatasetAnalysis dataset(String name, String verb, int pairs) {
        List<String> texts = Stream.generate(() -> verb + " a <b>story</b> now").limit(pairs + 5).toList();
        VerbNounCounts counts = new VerbNounCounts();
        for (int i = 0; i < pairs; i++) {
            counts.add(Optional.of(new VerbNoun(verb, "story")));
        }
        for (int i = 0; i < 5; i++) {
            counts.add(Optional.empty());
        }
        return new DatasetAnalysis(new DatasetTexts(name, Path.of(name + ".json"), "output", texts), counts,
                LengthStats.of(name, texts));
    }

    @Test
    void writesOnePageAndAPngPerChart() throws IOException {
        Path html = dir.resolve("out/report.html");
        List<Path> written = AnalysisReport.write(html, List.of(dataset("GPT-4", "write", 20), dataset("GPT <3.5>", "tell", 12)),
                SourceScores.read(SharedData.path("gpt4llm/cmp_data_scores.json")), 25);

        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly(
                "report-sunburst-gpt-4.png", "report-sunburst-gpt-3.5.png", "report-top-pairs.png",
                "report-lengths.png", "report-scores.png", "report.html");
        for (Path file : written) {
            assertThat(Files.size(file)).as(file.toString()).isGreaterThan(5_000);
        }
        String page = Files.readString(html);
        assertThat(page.contains("\"type\":\"sunburst\"")).isTrue();
        assertThat(page.contains("<p>Inputs: GPT-4: GPT-4.json, field &quot;output&quot;; GPT &lt;3.5&gt;: ")).isTrue();
        assertThat(page.contains("href=\"report-top-pairs.png\"")).isTrue();
        assertThat(page.contains("<td>icm-1.3b</td>")).isTrue();
        assertThat(page.contains("\"write story\"")).isTrue();
        try (Stream<Path> files = Files.list(html.getParent())) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void tablesAlignNumbersRight() {
        Table table = new Table(List.of("dataset", "rows"), List.of(List.of("a", "5,000"), List.of("longer name", "80")));
        assertThat(table.toText()).isEqualTo("""
                dataset       rows
                a            5,000
                longer name     80
                """);
    }
}
