package org.instruct4j.analysis.scores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceScoresTest {
    @TempDir
    Path dir;

    @Test
    void readsGpt4LlmScoreLists() {
        SourceScores scores = SourceScores.read(SharedData.path("gpt4llm/cmp_data_scores.json"));
        assertThat(scores.bySource().keySet()).containsExactly("text-davinci-003", "icm-1.3b", "gpt4");
        assertThat(scores.bySource().get("gpt4")).hasSize(51445);
        ScoreDistribution distribution = ScoreDistribution.of(scores);
        // counted independently with Python's collections.Counter over the same file
        assertThat(distribution.labels()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "7.5", "8", "8.5", "9", "9.5", "10");
        ScoreDistribution.SourceCounts gpt4 = distribution.sources().get(2);
        assertThat(gpt4.counts()[distribution.scores().indexOf(9.0)]).isEqualTo(46065);
        assertThat(gpt4.counts()[distribution.scores().indexOf(9.5)]).isEqualTo(1);
        ScoreDistribution.SourceCounts opt = distribution.sources().get(1);
        assertThat(opt.source()).isEqualTo("icm-1.3b");
        assertThat(opt.counts()[distribution.scores().indexOf(2.0)]).isEqualTo(11133);
        assertThat(opt.counts()[distribution.scores().indexOf(9.5)]).isZero();
        assertThat(gpt4.mean()).isGreaterThan(opt.mean());
    }

    @Test
    void readsComparisonDataV2InBothLayouts() throws IOException {
        String row1 = "{\"user_input\": \"q1\", \"responses_and_scores\": [{\"response\": \"a\", \"score\": 9.0, \"source\": \"gpt4\"},"
                + " {\"response\": \"b\", \"score\": 4, \"source\": \"icm-1.3b\"}]}";
        String row2 = "{\"user_input\": \"q2\", \"responses_and_scores\": [{\"response\": \"c\", \"score\": 8, \"source\": \"icm-1.3b\"},"
                + " {\"response\": \"d\", \"score\": 10, \"source\": \"gpt4\"}]}";
        for (Path file : new Path[] {Files.writeString(dir.resolve("cmp.jsonl"), row1 + "\n" + row2 + "\n"),
                Files.writeString(dir.resolve("cmp.json"), "[\n" + row1 + ",\n" + row2 + "\n]\n")}) {
            SourceScores scores = SourceScores.read(file);
            assertThat(scores.bySource().keySet()).containsExactly("gpt4", "icm-1.3b");
            assertThat(scores.bySource().get("gpt4")).containsExactly(9.0, 10.0);
            ScoreDistribution distribution = ScoreDistribution.of(scores);
            assertThat(distribution.sources().get(1).mean()).isCloseTo(6.0, within(1e-12));
            assertThat(distribution.sources().get(1).percent(distribution.scores().indexOf(4.0))).isEqualTo(50.0);
        }
    }

    @Test
    void badScoresNameFileLineAndField() throws IOException {
        Path lists = Files.writeString(dir.resolve("scores.json"), "{\n  \"gpt4\": [\n    9.0,\n    \"nine\"\n  ]\n}\n");
        assertThatThrownBy(() -> SourceScores.read(lists)).isInstanceOf(BadInputException.class)
                .hasMessage(lists + ":4: field \"gpt4[1]\": expected a number");
        Path v2 = Files.writeString(dir.resolve("cmp.jsonl"),
                "{\"user_input\": \"q\", \"responses_and_scores\": [{\"response\": \"a\", \"score\": \"high\", \"source\": \"gpt4\"}]}\n");
        assertThatThrownBy(() -> SourceScores.read(v2))
                .hasMessage(v2 + ":1: field \"responses_and_scores[0].score\": expected a number, got a string");
        assertThatThrownBy(() -> SourceScores.read(dir.resolve("absent.json"))).hasMessageContaining("no such file");
        Path truncated = Files.writeString(dir.resolve("cut.json"), "{\"gpt4\": [9.0, 8.0");
        assertThatThrownBy(() -> SourceScores.read(truncated)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(truncated + ":1: invalid JSON");
    }
}
