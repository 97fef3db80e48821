package org.instruct4j.report;

import java.util.List;

/**
 * Horizontal bar charts side by side, each with its own categories, on one shared value scale: each dataset's own
 * top verb-noun pairs (the paper's Figure 1(c)), each model's most frequent errors. Unlike a {@link BarChart} with
 * several series, the panels need not share categories.
 */
public record BarPanels(String title, String valueLabel, List<Panel> panels) implements Chart {
    /** One bar chart: a name above it, category labels on its left, one value per category (drawn top to bottom). */
    public record Panel(String name, List<String> categories, double[] values) {
        public Panel {
            categories = List.copyOf(categories);
            values = values.clone();
            if (values.length != categories.size()) {
                throw new IllegalArgumentException("panel '" + name + "' has " + values.length + " values for "
                        + categories.size() + " categories");
            }
        }
    }

    public BarPanels {
        panels = List.copyOf(panels);
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("bar panels need at least one panel");
        }
    }

    /** The largest value of any panel: the end of the shared value axis. */
    public double maxValue() {
        double max = 0;
        for (Panel panel : panels) {
            for (double v : panel.values()) {
                max = Math.max(max, v);
            }
        }
        return max;
    }
}
