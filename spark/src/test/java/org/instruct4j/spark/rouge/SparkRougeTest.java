package org.instruct4j.spark.rouge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.rouge.BucketScore;
import org.instruct4j.eval.rouge.RougeEvaluation;
import org.instruct4j.eval.rouge.RougeResult;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.spark.OutputRows;
import org.instruct4j.spark.SparkCli;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark rouge} on real predictions gives the single-machine scores row by row, and the same means. */
class SparkRougeTest {
    private static final Path PREDICTIONS = SharedData.path("self_instruct/predictions/text-davinci-003_predictions.jsonl");

    @TempDir
    Path dir;

    @Test
    void scoresEqualTheSingleMachineScorerRowByRowAndByLength() throws IOException {
        Path output = dir.resolve("scores");

        SparkCli run = SparkCli.run("rouge", "--input", PREDICTIONS.toString(), "--prediction-field", "response",
                "--reference-field", "target", "--by-length", "--output", output.toString(), "--partitions", "3");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        RougeResult single = new RougeEvaluation(false, RougeTokenizer.DEFAULT)
                .evaluate("text-davinci-003_predictions", RougeEvaluation.read(PREDICTIONS, "response", "target"));
        Map<String, ObjectNode> expected = new LinkedHashMap<>();
        single.rows().forEach(row -> expected.put(row.id(), row.toJson()));
        assertThat(OutputRows.byId(output)).hasSize(252).isEqualTo(expected);

        List<BucketScore> buckets = single.buckets(true);
        JsonNode result = Json.MAPPER.readTree(Files.readString(dir.resolve("scores.result.json")));
        assertThat(result).hasSize(5);
        for (int i = 0; i < buckets.size(); i++) {
            BucketScore bucket = buckets.get(i);
            JsonNode spark = result.get(i);
            assertThat(spark.get("Length").asText()).isEqualTo(bucket.length());
            assertThat(spark.get("NumInstance").asLong()).isEqualTo(bucket.rows());
            assertThat(spark.get("Model").asText()).isEqualTo("text-davinci-003_predictions");
            assertThat(spark.get("rouge1").asDouble()).isCloseTo(bucket.rouge1(), within(1e-12));
            assertThat(spark.get("rouge2").asDouble()).isCloseTo(bucket.rouge2(), within(1e-12));
            assertThat(spark.get("rougeL").asDouble()).isCloseTo(bucket.rougeL(), within(1e-12));
        }
        assertThat(run.out()).contains("ALL", "252", "10-");
    }
}
