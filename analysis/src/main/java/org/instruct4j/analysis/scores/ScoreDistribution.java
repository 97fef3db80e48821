package org.instruct4j.analysis.scores;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.instruct4j.core.io.Json;

/**
 * How often each score was given to each source (the paper's Figure 2). Every distinct score value is its own
 * category, so half points (8.5) and out-of-scale scores (0) stay visible rather than being rounded into 1-10.
 */
public record ScoreDistribution(List<Double> scores, List<SourceCounts> sources) {
    /** One source's number of scores, their mean, and the count per value of {@link #scores()}. */
    public record SourceCounts(String source, long n, double mean, long[] counts) {
        public SourceCounts {
            counts = counts.clone();
        }

        /** Percent of this source's scores that equal the i-th score value. */
        public double percent(int i) {
            return n == 0 ? 0 : 100.0 * counts[i] / n;
        }
    }

    public ScoreDistribution {
        scores = List.copyOf(scores);
        sources = List.copyOf(sources);
    }

    public static ScoreDistribution of(SourceScores scores) {
        TreeMap<Double, Integer> values = new TreeMap<>();
        scores.bySource().values().forEach(array -> {
            for (double v : array) {
                values.put(v, 0);
            }
        });
        int index = 0;
        for (Map.Entry<Double, Integer> value : values.entrySet()) {
            value.setValue(index++);
        }
        List<SourceCounts> sources = new ArrayList<>();
        scores.bySource().forEach((source, array) -> {
            long[] counts = new long[values.size()];
            double sum = 0;
            for (double v : array) {
                counts[values.get(v)]++;
                sum += v;
            }
            sources.add(new SourceCounts(source, array.length, array.length == 0 ? Double.NaN : sum / array.length, counts));
        });
        return new ScoreDistribution(new ArrayList<>(values.keySet()), sources);
    }

    /** "9" for 9.0, "8.5" for 8.5. */
    public static String label(double score) {
        return score == Math.rint(score) ? Long.toString((long) score) : Double.toString(score);
    }

    public List<String> labels() {
        return scores.stream().map(ScoreDistribution::label).toList();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        ArrayNode sourcesJson = json.putArray("sources");
        for (SourceCounts source : sources) {
            ObjectNode node = sourcesJson.addObject().put("source", source.source()).put("n", source.n())
                    .put("mean", source.mean());
            ObjectNode counts = node.putObject("counts");
            for (int i = 0; i < scores.size(); i++) {
                counts.put(label(scores.get(i)), source.counts()[i]);
            }
        }
        return json;
    }
}
