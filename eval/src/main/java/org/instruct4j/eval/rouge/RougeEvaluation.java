package org.instruct4j.eval.rouge;

import static org.instruct4j.metrics.rouge.RougeType.ROUGE_1;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_2;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_L;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.core.io.RowDecoder;
import org.instruct4j.metrics.rouge.RougeScore;
import org.instruct4j.metrics.rouge.RougeScorer;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.metrics.rouge.RougeType;

/**
 * GPT-4-LLM's ROUGE evaluation on Unnatural Instructions: every row's prediction is scored against its reference
 * with rouge-score's ROUGE-1/2/L F-measures, and the means are reported over all rows and per bucket of the
 * reference's length in words ({@link LengthBucket}).
 */
public final class RougeEvaluation {
    private final RougeScorer scorer;

    public RougeEvaluation(boolean stemming, RougeTokenizer tokenizer) {
        this.scorer = RougeScorer.builder().types(ROUGE_1, ROUGE_2, ROUGE_L).stemming(stemming).tokenizer(tokenizer).build();
    }

    /**
     * Reads and checks every row of {@code file} (JSON array or JSONL): both fields must be strings. Fails with
     * file, line and field before any scoring.
     */
    public static List<RougeRow> read(Path file, String predictionField, String referenceField) {
        return Datasets.readAll(file, decoder(predictionField, referenceField));
    }

    /** A row to score: its id (the "id" field, else its position) and both fields, which must be strings. */
    public static RowDecoder<RougeRow> decoder(String predictionField, String referenceField) {
        return row -> new RougeRow(row.id("id"), row.string(predictionField), row.string(referenceField));
    }

    /**
     * The Model of a result when none is given: the "model" field of the first row of {@code rows}, else the input's
     * name without its extension.
     */
    public static String defaultModelName(Path rows, String inputName) {
        try (JsonRows it = JsonRows.open(rows)) {
            String model = it.next().optionalString("model", null);
            if (model != null) {
                return model;
            }
        }
        return inputName.replaceFirst("\\.[^.]*$", "");
    }

    /** Scores every row (in parallel) and averages per bucket, in row order so that the means are reproducible. */
    public RougeResult evaluate(String model, List<RougeRow> rows) {
        List<String> references = rows.stream().map(RougeRow::reference).toList();
        List<String> predictions = rows.stream().map(RougeRow::prediction).toList();
        List<Map<RougeType, RougeScore>> scores = scorer.scoreAll(references, predictions);
        List<RowScore> rowScores = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            int words = LengthBucket.words(references.get(i));
            Map<RougeType, RougeScore> s = scores.get(i);
            rowScores.add(new RowScore(rows.get(i).id(), words, LengthBucket.of(words), s.get(ROUGE_1).fmeasure(),
                    s.get(ROUGE_2).fmeasure(), s.get(ROUGE_L).fmeasure()));
        }
        return new RougeResult(model, rowScores);
    }
}
