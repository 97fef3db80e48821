package org.instruct4j.report;

import java.util.List;

/**
 * Bars per category, one bar per series side by side (the top verb-noun pairs of two datasets, win/tie/lose
 * per criterion). {@code horizontal} puts categories on the y axis, which suits long labels.
 */
public record BarChart(String title, String xLabel, String yLabel, List<String> categories, List<Series> series,
                       boolean horizontal) implements Chart {
    public BarChart {
        categories = List.copyOf(categories);
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.values().length != categories.size()) {
                throw new IllegalArgumentException("series '" + s.name() + "' has " + s.values().length
                        + " values for " + categories.size() + " categories");
            }
        }
    }
}
