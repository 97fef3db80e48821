package org.instruct4j.analysis.lengths;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import org.instruct4j.core.io.Json;

/**
 * Lengths of texts in words (runs of non-whitespace, as Python's {@code str.split()} counts them) and their summary:
 * mean, quartiles, high percentiles, extremes. Percentiles interpolate linearly between order statistics, as NumPy's
 * default does, so the numbers match a pandas {@code describe()} of the same data.
 */
public record LengthStats(String name, double[] words, double mean, double min, double p25, double median, double p75,
                          double p90, double p99, double max) {
    public LengthStats {
        words = words.clone();
    }

    public static LengthStats of(String name, List<String> texts) {
        double[] words = new double[texts.size()];
        for (int i = 0; i < words.length; i++) {
            words[i] = words(texts.get(i));
        }
        double[] sorted = words.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(Double.NaN);
        return new LengthStats(name, words, mean, percentile(sorted, 0), percentile(sorted, 25), percentile(sorted, 50),
                percentile(sorted, 75), percentile(sorted, 90), percentile(sorted, 99), percentile(sorted, 100));
    }

    /** The number of words: maximal runs of characters that are not whitespace. */
    public static int words(String text) {
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c);
            if (!space && !inWord) {
                count++;
            }
            inWord = !space;
            i += Character.charCount(c);
        }
        return count;
    }

    /** Linear interpolation between the closest ranks (NumPy's default "linear" method); NaN for no data. */
    static double percentile(double[] sorted, double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = percent / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    public int rows() {
        return words.length;
    }

    /** How many texts have at least {@code limit} words (beyond a histogram ending at {@code limit}). */
    public long atLeast(double limit) {
        return Arrays.stream(words).filter(w -> w >= limit).count();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object().put("name", name).put("rows", rows());
        json.put("mean", mean).put("min", min).put("p25", p25).put("median", median).put("p75", p75)
                .put("p90", p90).put("p99", p99).put("max", max);
        return json;
    }
}
