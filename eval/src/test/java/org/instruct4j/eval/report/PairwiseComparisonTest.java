package org.instruct4j.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairwiseComparisonTest {
    @TempDir
    Path dir;

    private static String review(int question, double s1, double s2, boolean swapped, String category) {
        String m1 = swapped ? "model-b" : "model-a";
        String m2 = swapped ? "model-a" : "model-b";
        return "{\"question_id\":" + question + ",\"answer1_id\":\"\",\"answer2_id\":\"\",\"text\":\"" + s1 + " " + s2
                + "\",\"score\":[" + s1 + "," + s2 + "],\"reviewer_id\":\"gpt-4-0328-default\",\"metadata\":{\"model1\":\"" + m1
                + "\",\"model2\":\"" + m2 + "\",\"category\":\"" + category + "\",\"swapped\":" + swapped + "}}\n";
    }

    /**
     * Four questions judged in both orders. Question 1: A wins both times. 2: A wins first (8 7), then the swapped
     * review favours the first answer again (B 9 : A 6), a flip. 3: a tie, then B wins (swapped 8 : 7), a flip.
     * 4: unparsable in the swapped order, so it counts once and is not compared.
     */
    @Test
    void bothOrdersTheirAverageAndFlips() throws IOException {
        Path file = Files.writeString(dir.resolve("reviews.jsonl"),
                review(1, 9, 6, false, "generic") + review(1, 5, 8, true, "generic")
                + review(2, 8, 7, false, "generic") + review(2, 9, 6, true, "generic")
                + review(3, 7, 7, false, "math") + review(3, 8, 7, true, "math")
                + review(4, 6, 8, false, "math") + review(4, -1, -1, true, "math"));
        PairwiseComparison c = PairwiseComparison.of((ReviewFile.Pairwise) ReviewFile.read(file), Map.of(), Map.of());
        assertThat(c.modelA()).isEqualTo("model-a");
        assertThat(c.modelB()).isEqualTo("model-b");

        assertThat(c.aFirst()).isEqualTo(new Outcome(9 + 8 + 7 + 6, 6 + 7 + 7 + 8, 2, 1, 1, 0));
        assertThat(c.bFirst()).isEqualTo(new Outcome(8 + 6 + 7, 5 + 9 + 8, 1, 0, 2, 1));
        assertThat(c.combined().relative()).isEqualTo((30.0 + 21) / (28 + 22));
        assertThat(c.flips()).isEqualTo(new PairwiseComparison.Flips(2, 3));
        assertThat(c.failedQuestions()).containsExactly("4 (B first)");
        assertThat(c.perCategory().get("generic")).isEqualTo(new Outcome(9 + 8 + 8 + 6, 6 + 7 + 5 + 9, 3, 0, 1, 0));
        assertThat(c.perCategory().get("math").failed()).isEqualTo(1);

        // FastChat's show_result counts agreeing orders as the verdict and disagreeing ones as a tie; unreadable ones not at all
        assertThat(c.preferences()).containsExactly(Map.entry("1", 1.0), Map.entry("2", 0.5), Map.entry("3", 0.5));

        String text = JudgeReport.load(List.of(file), null, List.of()).text();
        assertThat(text).contains("A first", "B first", "average", "verdict flipped when the answers changed places: 2 of 3 questions (66.7%)");
    }

    @Test
    void fastChatFileNamesNameTheModelsWhenReviewsDoNot() {
        PairwiseComparison c = PairwiseComparison.of((ReviewFile.Pairwise) ReviewFile.read(
                SharedData.path("fastchat/eval_table/review/review_bard_vicuna-13b-20230322-clean-lang.jsonl")), Map.of(), Map.of());
        assertThat(c.modelA()).isEqualTo("bard");
        assertThat(c.modelB()).isEqualTo("vicuna-13b-20230322-clean-lang");
        // The sums of FastChat's published (hand-fixed) scores: Bard 664 : Vicuna 655.5, as in the Vicuna blog post.
        assertThat(c.aFirst().sumA()).isEqualTo(664.0);
        assertThat(c.aFirst().sumB()).isEqualTo(655.5);
        assertThat(c.hasSwappedOrder()).isFalse();
    }

    /** GPT-4-LLM's Figure 4 value for LLaMA-GPT4 vs GPT-4, from the sums the paper's notebook hard-codes. */
    @Test
    void relativeScoreIsTheRatioOfSums() {
        assertThat(new Outcome(606.0, 726.5, 0, 0, 0, 0).relative()).isCloseTo(0.834, within(0.001));
    }

    @Test
    void aFileMixingComparisonsIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("mixed.jsonl"), review(1, 9, 6, false, "generic")
                + review(2, 9, 6, false, "generic").replace("model-b", "model-c"));
        assertThatThrownBy(() -> PairwiseComparison.of((ReviewFile.Pairwise) ReviewFile.read(file), Map.of(), Map.of()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("give one comparison per file");
    }
}
