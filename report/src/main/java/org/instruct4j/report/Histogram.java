package org.instruct4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Counts of values in {@code bins} equal-width bins over [min, max), one count row per dataset, optionally on a
 * log y axis (the paper's output-length histogram: 0-512 words, 100 bins, log y). Values outside the range are
 * not binned but counted in {@link Counts#outside()}, so the chart never hides that they exist.
 */
public record Histogram(String title, String xLabel, String yLabel, double min, double max, List<Counts> counts,
                        boolean logY) implements Chart {
    /** One dataset's counts per bin, and how many of its values fell outside [min, max). */
    public record Counts(String name, long[] perBin, long outside) {
        public Counts {
            perBin = perBin.clone();
        }
    }

    public Histogram {
        if (!(max > min)) {
            throw new IllegalArgumentException("histogram range [" + min + ", " + max + ") is empty");
        }
        counts = List.copyOf(counts);
    }

    /** Bins each dataset's values (in the map's order). */
    public static Histogram of(String title, String xLabel, String yLabel, double min, double max, int bins,
                               Map<String, double[]> values, boolean logY) {
        if (bins < 1) {
            throw new IllegalArgumentException("a histogram needs at least one bin, got " + bins);
        }
        List<Counts> counts = new ArrayList<>();
        double width = (max - min) / bins;
        values.forEach((name, data) -> {
            long[] perBin = new long[bins];
            long outside = 0;
            for (double v : data) {
                if (v < min || v >= max || Double.isNaN(v)) {
                    outside++;
                } else {
                    perBin[Math.min(bins - 1, (int) ((v - min) / width))]++;
                }
            }
            counts.add(new Counts(name, perBin, outside));
        });
        return new Histogram(title, xLabel, yLabel, min, max, counts, logY);
    }

    public int bins() {
        return counts.isEmpty() ? 0 : counts.get(0).perBin().length;
    }

    /** The lower edge of bin {@code i}. */
    public double lowerEdge(int i) {
        return min + (max - min) * i / bins();
    }
}
