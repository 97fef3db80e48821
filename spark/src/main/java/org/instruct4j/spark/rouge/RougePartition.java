package org.instruct4j.spark.rouge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.util.LongAccumulator;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.Location;
import org.instruct4j.core.io.RowDecoder;
import org.instruct4j.eval.rouge.RougeEvaluation;
import org.instruct4j.eval.rouge.RougeRow;
import org.instruct4j.eval.rouge.RowScore;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.spark.io.Results;
import scala.Tuple2;

/**
 * One Spark task of {@code spark rouge}: eval's {@link RougeEvaluation} over the partition's rows (rouge-score's
 * ROUGE-1/2/L F-measures and the reference's length bucket). Emits one {@link RowScore} JSON line per row and a
 * summary with the partition's row count and F-measure sums per bucket, from which the driver takes the means.
 */
final class RougePartition implements MapPartitionsFunction<String, Tuple2<String, String>> {
    private final String predictionField;
    private final String referenceField;
    private final boolean stemming;
    private final String tokenizer;
    private final String model;
    private final LongAccumulator done;

    RougePartition(String predictionField, String referenceField, boolean stemming, String tokenizer, String model,
            LongAccumulator done) {
        this.predictionField = predictionField;
        this.referenceField = referenceField;
        this.stemming = stemming;
        this.tokenizer = tokenizer;
        this.model = model;
        this.done = done;
    }

    @Override
    public Iterator<Tuple2<String, String>> call(Iterator<String> lines) {
        RowDecoder<RougeRow> decoder = RougeEvaluation.decoder(predictionField, referenceField);
        // the driver checked every row, so a location is never reported from here
        Location staged = Location.file(Path.of("input.jsonl"));
        List<RougeRow> rows = new ArrayList<>();
        for (long i = 0; lines.hasNext(); i++) {
            rows.add(decoder.decode(new JsonRow(object(lines.next()), staged, i)));
        }
        RougeEvaluation evaluation = new RougeEvaluation(stemming, RougeTokenizer.named(tokenizer));
        List<RowScore> scores = evaluation.evaluate(model, rows).rows();
        done.add(scores.size());
        List<Tuple2<String, String>> results = new ArrayList<>(scores.size() + 1);
        scores.forEach(score -> results.add(new Tuple2<>(Results.ROW, Json.line(score.toJson()))));
        results.add(new Tuple2<>(Results.SUMMARY, Json.line(BucketSums.of(scores))));
        return results.iterator();
    }

    private static ObjectNode object(String line) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
