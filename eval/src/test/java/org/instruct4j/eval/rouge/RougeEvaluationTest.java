package org.instruct4j.eval.rouge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.metrics.rouge.RougeScore;
import org.instruct4j.metrics.rouge.RougeScorer;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.metrics.rouge.RougeType;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RougeEvaluationTest {
    private static final Path PREDICTIONS = SharedData.path("self_instruct/predictions/text-davinci-003_predictions.jsonl");

    @TempDir
    Path dir;

    /**
     * The 252 real text-davinci-003 predictions scored against their targets, per length bucket. The bucket sizes
     * were counted with Python's len(target.split()); one target has 221 words to Python but 218 to an ASCII split,
     * because of no-break spaces.
     */
    @Test
    void bucketMeansAreMeansOfTheRowScoresOfEachBucket() {
        List<RougeRow> rows = RougeEvaluation.read(PREDICTIONS, "response", "target");
        RougeResult result = new RougeEvaluation(false, RougeTokenizer.DEFAULT).evaluate("text-davinci-003", rows);
        RougeScorer scorer = RougeScorer.builder().types(RougeType.ROUGE_1, RougeType.ROUGE_2, RougeType.ROUGE_L).build();

        List<BucketScore> buckets = result.buckets(true);
        assertThat(buckets).extracting(BucketScore::length).containsExactly("0-2", "3-5", "6-10", "10-", "ALL");
        assertThat(buckets.get(4).rows()).isEqualTo(252);
        assertThat(buckets.subList(0, 4).stream().mapToLong(BucketScore::rows).sum()).isEqualTo(252);

        double[] sums = new double[4];
        int[] counts = new int[4];
        double allRougeL = 0;
        for (int i = 0; i < rows.size(); i++) {
            Map<RougeType, RougeScore> expected = scorer.score(rows.get(i).reference(), rows.get(i).prediction());
            RowScore row = result.rows().get(i);
            assertThat(row.rougeL()).isEqualTo(expected.get(RougeType.ROUGE_L).fmeasure());
            assertThat(row.rouge2()).isEqualTo(expected.get(RougeType.ROUGE_2).fmeasure());
            int bucket = row.bucket().ordinal();
            sums[bucket] += row.rougeL();
            counts[bucket]++;
            allRougeL += row.rougeL();
        }
        assertThat(counts).containsExactly(28, 21, 24, 179);
        assertThat(result.rows()).anyMatch(row -> row.referenceWords() == 221);
        for (int b = 0; b < 4; b++) {
            assertThat(buckets.get(b).rows()).isEqualTo(counts[b]);
            assertThat(buckets.get(b).rougeL()).isCloseTo(sums[b] / counts[b], within(1e-12));
        }
        assertThat(buckets.get(4).rougeL()).isCloseTo(allRougeL / 252, within(1e-12));
        assertThat(buckets.get(4).rougeL()).isBetween(0.05, 0.95);
    }

    @Test
    void resultJsonHasTheShapeOfGpt4LlmsResultFiles() throws IOException {
        JsonNode paper = Json.MAPPER.readTree(SharedData.path(
                "gpt4llm/eval_unnatural_instructions/gpt4_unnatural_instruction_results_h9000_lenALL.json").toFile());
        RougeResult result = new RougeEvaluation(false, RougeTokenizer.DEFAULT)
                .evaluate("LLaMA-GPT4", RougeEvaluation.read(PREDICTIONS, "response", "target"));
        JsonNode ours = Json.MAPPER.readTree(result.json(true));
        assertThat(ours).hasSize(5);
        List<String> paperFields = new ArrayList<>();
        paper.get(0).fieldNames().forEachRemaining(paperFields::add);
        for (JsonNode row : ours) {
            List<String> fields = new ArrayList<>();
            row.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).isEqualTo(paperFields);
        }
        assertThat(ours.get(4).get("Length").asText()).isEqualTo("ALL");
        assertThat(ours.get(4).get("NumInstance").asInt()).isEqualTo(252);
        assertThat(ours.get(4).get("Model").asText()).isEqualTo("LLaMA-GPT4");
        assertThat(Json.MAPPER.readTree(result.json(false))).hasSize(1);
    }

    /** GPT-4-LLM's first Unnatural Instructions row: the answer has the label's words, so ROUGE-L is 1. */
    @Test
    void scoresGpt4LlmsUnnaturalInstructionsFormat() throws IOException {
        Path file = Files.writeString(dir.resolve("unnatural.jsonl"), """
                {"instruction":"You will be given a series of words. Output these words in reverse order, with each word on its own line.","input":"Words: ['Hello', 'world'].","output":"['world', 'Hello']","label":"world\\nHello"}
                {"instruction":"Reverse the string.","input":"\\"Hello world!\\".","output":"","label":"!dlrow olleH"}
                """);
        RougeResult result = new RougeEvaluation(false, RougeTokenizer.DEFAULT).evaluate("GPT4", RougeEvaluation.read(file, "output", "label"));
        assertThat(result.rows().get(0).rougeL()).isEqualTo(1.0);
        assertThat(result.rows().get(1).rougeL()).isZero();
        assertThat(result.buckets(true).get(0).rows()).isEqualTo(2);
        assertThat(result.buckets(true).get(1).rows()).isZero();
        assertThat(result.json(true)).contains("\"rougeL\" : null");
        assertThat(result.table(true)).contains("3-5", "-");
    }

    @Test
    void chineseScoresZeroWithRougeScoresTokenizerButNotWithCjk() throws IOException {
        Path file = Files.writeString(dir.resolve("zh.jsonl"),
                "{\"output\":\"以下是保持健康的三个提示\",\"label\":\"保持健康的三个提示\"}\n");
        List<RougeRow> rows = RougeEvaluation.read(file, "output", "label");
        assertThat(new RougeEvaluation(false, RougeTokenizer.DEFAULT).evaluate("m", rows).rows().get(0).rougeL()).isZero();
        assertThat(new RougeEvaluation(false, RougeTokenizer.named("cjk")).evaluate("m", rows).rows().get(0).rougeL())
                .isCloseTo(2 * 1.0 * 9 / 12 / (1.0 + 9.0 / 12), within(1e-12));
    }

    @Test
    void aRowWithoutTheReferenceFieldIsNamedWithFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"output\":\"a\",\"label\":\"b\"}\n{\"output\":\"a\",\"lable\":\"b\"}\n");
        assertThatThrownBy(() -> RougeEvaluation.read(file, "output", "label"))
                .isInstanceOf(BadInputException.class).hasMessage(file + ":2: field \"label\": missing");
    }
}
