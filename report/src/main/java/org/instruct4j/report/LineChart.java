package org.instruct4j.report;

import java.util.List;

/** Lines through (x, y) points, for example a loss curve per run. */
public record LineChart(String title, String xLabel, String yLabel, List<Line> lines, boolean logY) implements Chart {
    /** One named line; {@code x} and {@code y} have the same length. */
    public record Line(String name, double[] x, double[] y) {
        public Line {
            if (x.length != y.length) {
                throw new IllegalArgumentException("line '" + name + "' has " + x.length + " x and " + y.length + " y values");
            }
            x = x.clone();
            y = y.clone();
        }
    }

    public LineChart {
        lines = List.copyOf(lines);
    }
}
