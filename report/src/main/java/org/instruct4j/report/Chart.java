package org.instruct4j.report;

/**
 * A chart as data: what to draw, independent of how it is drawn. {@link EChartsOptions} turns it into an
 * interactive chart of an HTML page, {@link PngCharts} into a PNG file for papers and slides.
 */
public sealed interface Chart permits BarChart, BarPanels, Histogram, LineChart, Sunburst {
    String title();
}
