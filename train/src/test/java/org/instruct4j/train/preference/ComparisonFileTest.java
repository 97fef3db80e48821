package org.instruct4j.train.preference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonFileTest {
    static final Path RANKED = SharedData.path("gpt4llm/comparison_gpt4_data_en.sample1095.llamafactory_format.json");

    @TempDir
    Path dir;

    @Test
    void v2RowsGiveEveryPairWithDifferentScoresAndCountTheTies() throws Exception {
        Path file = dir.resolve("v2.jsonl");
        String prompt = AlpacaPrompt.render("Name a color.", "");
        Files.writeString(file, "{\"user_input\": " + org.instruct4j.core.io.Json.line(prompt) + ", \"responses_and_scores\": ["
                + "{\"response\": \"Blue.\", \"score\": 9.0, \"source\": \"gpt4\"},"
                + "{\"response\": \"Red.\", \"score\": 7.0, \"source\": \"text-davinci-003\"},"
                + "{\"response\": \"Dog.\", \"score\": 2.0, \"source\": \"icm-1.3b\"},"
                + "{\"response\": \"Green.\", \"score\": 7.0, \"source\": \"other\"}]}\n"
                + "{\"user_input\": \"Say hi.\", \"responses_and_scores\": ["
                + "{\"response\": \"Hi.\", \"score\": 8, \"source\": \"gpt4\"}, {\"response\": \"Hello.\", \"score\": 8, \"source\": \"icm-1.3b\"}]}\n");

        List<ComparisonGroup> groups = ComparisonFile.read(file);

        ComparisonGroup colors = groups.get(0);
        assertThat(colors.instruction()).isEqualTo("Name a color.");
        assertThat(colors.input()).isEmpty();
        // C(4, 2) = 6 pairs, one of which (Red 7 vs Green 7) is a tie
        assertThat(colors.pairs()).containsExactly(new ComparisonGroup.Pair(0, 1, 2), new ComparisonGroup.Pair(0, 2, 7),
                new ComparisonGroup.Pair(0, 3, 2), new ComparisonGroup.Pair(1, 2, 5), new ComparisonGroup.Pair(3, 2, 5));
        assertThat(colors.ties()).isEqualTo(1);
        assertThat(groups.get(1).instruction()).as("a prompt that is not an Alpaca prompt is the instruction").isEqualTo("Say hi.");
        assertThat(groups.get(1).pairs()).isEmpty();
        assertThat(groups.get(1).ties()).isEqualTo(1);
        assertThat(Comparisons.pairs(groups)).isEqualTo(5);
        assertThat(Comparisons.summary(groups))
                .isEqualTo("2 prompts with 6 responses: 5 pairs with different scores, 2 ties skipped (1 prompts without any pair)");
    }

    @Test
    void v1ChosenRejectedAndTheRealRankingPairs() throws Exception {
        Path file = dir.resolve("mixed.jsonl");
        Files.writeString(file, """
                {"user_input": "Say hi.", "completion_a": "Hi there!", "completion_b": "Bye."}
                {"prompt": "Name a color.", "chosen": "Blue.", "rejected": "Seven."}
                {"instruction": "Add.", "input": "2+2", "chosen": "4", "rejected": "5"}
                """);
        List<ComparisonGroup> groups = ComparisonFile.read(file);
        assertThat(groups).extracting(g -> g.responses().get(0).text()).containsExactly("Hi there!", "Blue.", "4");
        assertThat(groups).allSatisfy(g -> assertThat(g.pairs()).containsExactly(new ComparisonGroup.Pair(0, 1, 1)));
        assertThat(groups.get(0).responses()).extracting(ComparisonGroup.RatedResponse::source).containsExactly("completion_a", "completion_b");
        assertThat(groups.get(2).input()).isEqualTo("2+2");

        List<ComparisonGroup> real = ComparisonFile.read(RANKED);
        assertThat(real).hasSize(1095);
        assertThat(real.get(0).instruction()).isEqualTo("What are the three primary colors?");
        assertThat(real.get(0).responses().get(1).text()).isEqualTo("Red, Yellow, and Green.");
        assertThat(Comparisons.pairs(real)).isEqualTo(1095);
        // GPT-4 prefers longer answers: "the longer one wins" ranks 995 of the pairs right, 11 are equally long (half each)
        assertThat(Comparisons.longerWins(real)).isCloseTo((995 + 5.5) / 1095, within(1e-9));
    }

    @Test
    void badRowsNameFileLineAndField() throws Exception {
        Path noScore = dir.resolve("bad.jsonl");
        Files.writeString(noScore, """
                {"user_input": "Say hi.", "responses_and_scores": [{"response": "Hi.", "score": 8, "source": "gpt4"}]}
                {"user_input": "Say hi.", "responses_and_scores": [{"response": "Hi.", "score": "high", "source": "gpt4"}]}
                """);
        assertThatThrownBy(() -> ComparisonFile.read(noScore)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("bad.jsonl:2").hasMessageContaining("responses_and_scores[0].score");
        Path threeOutputs = dir.resolve("ranked.json");
        Files.writeString(threeOutputs, "[{\"instruction\": \"a\", \"output\": [\"x\", \"y\", \"z\"]}]");
        assertThatThrownBy(() -> ComparisonFile.read(threeOutputs)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("ranked.json:[0]").hasMessageContaining("\"output\"");
        Path unknown = dir.resolve("alpaca.jsonl");
        Files.writeString(unknown, "{\"instruction\": \"a\", \"text\": \"b\"}\n");
        assertThatThrownBy(() -> ComparisonFile.read(unknown)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("alpaca.jsonl:1").hasMessageContaining("not comparison data");
    }
}
