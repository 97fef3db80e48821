package org.instruct4j.report;

/** One named row of values, one per category of a {@link BarChart}. */
public record Series(String name, double[] values) {
    public Series {
        values = values.clone();
    }
}
