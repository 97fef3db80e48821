package org.instruct4j.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ScoreParserTest {
    /** The Vicuna math questions: the math prompt asks for a Python tuple at the end, not for scores on line 1. */
    private static final Set<Long> MATH_QUESTIONS = Set.of(68L, 69L, 70L);

    static Stream<Path> reviewFiles() throws IOException {
        return Files.list(SharedData.path("fastchat/eval_table/review")).sorted();
    }

    private record RealReview(long questionId, String text, double score1, double score2) {}

    /**
     * All 400 real GPT-4 reviews: FastChat's parse_score of the text gives the file's score, except on the 3 math
     * questions, where it gives -1 -1 (FastChat asked for those to be fixed by hand, and the published files hold the
     * hand-fixed scores).
     */
    @ParameterizedTest
    @MethodSource("reviewFiles")
    void parsingRealReviewsReproducesTheirScores(Path file) {
        List<RealReview> reviews = Datasets.readAll(file, row -> new RealReview(row.integer("question_id"), row.string("text"),
                row.numberElement("score", 0), row.numberElement("score", 1)));
        assertThat(reviews).hasSize(80);
        List<Long> unparsable = new ArrayList<>();
        for (RealReview review : reviews) {
            double[] parsed = ScoreParser.pair(review.text());
            if (MATH_QUESTIONS.contains(review.questionId())) {
                assertThat(parsed).containsExactly(-1, -1);
                unparsable.add(review.questionId());
            } else {
                assertThat(parsed).as("question %d", review.questionId()).containsExactly(review.score1(), review.score2());
            }
        }
        assertThat(unparsable).containsExactlyInAnyOrderElementsOf(MATH_QUESTIONS);
    }

    /**
     * The lenient parser reads the 3 math reviews of every real file from the forms the prompt asked for (the tuple, or
     * "Assistant 1: n" lines): 13 of the 15 give the scores FastChat's maintainers wrote in by hand; in the other two
     * (question 70 of Bard's and of LLaMA-13B's file) the review says "Assistant 2: 4" and the published score is 2.
     */
    @ParameterizedTest
    @MethodSource("reviewFiles")
    void theLenientParserRecoversTheMathReviews(Path file) {
        List<RealReview> reviews = Datasets.readAll(file, row -> new RealReview(row.integer("question_id"), row.string("text"),
                row.numberElement("score", 0), row.numberElement("score", 1)));
        boolean handFixedDifferently = file.getFileName().toString().startsWith("review_bard")
                || file.getFileName().toString().startsWith("review_llama-13b");
        for (RealReview review : reviews) {
            ScoreParse.PairScores lenient = ScoreParse.LENIENT.pair(review.text());
            assertThat(lenient.recovered()).isEqualTo(MATH_QUESTIONS.contains(review.questionId()));
            if (review.questionId() == 70 && handFixedDifferently) {
                assertThat(List.of(lenient.first(), lenient.second())).containsExactly(10.0, 4.0);
                assertThat(List.of(review.score1(), review.score2())).containsExactly(10.0, 2.0);
            } else {
                assertThat(List.of(lenient.first(), lenient.second())).as("question %d", review.questionId())
                        .containsExactly(review.score1(), review.score2());
            }
            assertThat(ScoreParse.FASTCHAT.pair(review.text()).recovered()).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Scores:\\nAssistant 1: 1/10\\nAssistant 2: 2/10|1.0|2.0",
        "The output tuple is (10, 1). Assistant 1 did better.|10.0|1.0",
        "(10 - 2)^2 + 6^2; the scores are (1, 5) for Assistant 1 and Assistant 2|1.0|5.0",
        "Assistant 1: 7.5 (good)\\nAssistant 2: 3 (poor)|7.5|3.0",
        "Assistant 1 scores 8, and there is no second score.|-1.0|-1.0",
        "The distance is (12, 40) km; no scores.|-1.0|-1.0"})
    void lenientFormsAreRead(String review, double first, double second) {
        ScoreParse.PairScores scores = ScoreParse.LENIENT.pair(review.replace("\\n", "\n"));
        assertThat(List.of(scores.first(), scores.second())).containsExactly(first, second);
    }

    @Test
    void lenientRatingsReadAnUnbracketedRating() {
        assertThat(ScoreParse.FASTCHAT.rating("Rating: 7").value()).isEqualTo(-1);
        ScoreParse.Rating rating = ScoreParse.LENIENT.rating("The answer is fine. Rating: 7/10");
        assertThat(rating.score()).isEqualTo(7);
        assertThat(rating.recovered()).isTrue();
        assertThat(ScoreParse.LENIENT.rating("Rating: [[8]]").recovered()).isFalse();
        assertThat(ScoreParse.LENIENT.rating("Rating: 70").value()).isEqualTo(-1);
    }

    /** Python: review.split('\n')[0].replace(',', ' ').split(' '), two parts, float() of each ("\\n" stands for a newline). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "8 9\\nAssistant 2 is better.|8.0|9.0",
        "8,9|8.0|9.0",
        "7.5 10|7.5|10.0",
        "8 9\\r\\nexplanation|8.0|9.0",
        "+8 1_0|8.0|10.0",
        "８ ９|8.0|9.0",
        "8, 9|-1|-1",
        "8  9|-1|-1",
        "' 8 9'|-1|-1",
        "Score: 8 9|-1|-1",
        "(8, 9)|-1|-1",
        "8|-1|-1",
        "8 9 10|-1|-1",
        "nan 9|-1|-1",
        "1d 9|-1|-1",
        "0x8 9|-1|-1",
        "error|-1|-1"})
    void pairParsingFollowsFastChatsParseScore(String review, double first, double second) {
        assertThat(ScoreParser.pair(review.replace("\\n", "\n").replace("\\r", "\r"))).containsExactly(first, second);
    }

    @Test
    void emptyReviewIsUnparsable() {
        assertThat(ScoreParser.pair("")).containsExactly(-1, -1);
        assertThat(ScoreParser.failed(-1, 8)).isTrue();
        assertThat(ScoreParser.failed(8, 9)).isFalse();
    }

    /** llm_judge: the first [[x]], else the first [x], else -1. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "The answer is accurate. Rating: [[8]]|8.0",
        "Rating: [[7.5]] and later [[2]]|7.5",
        "Detailed [3] ... Rating: [[9]]|9.0",
        "Rating: [6]|6.0",
        "Rating: 6/10|-1",
        "Rating: [[N/A]]|-1"})
    void ratingParsingFollowsMtBench(String judgment, double rating) {
        assertThat(ScoreParser.rating(judgment)).isEqualTo(rating);
    }
}
