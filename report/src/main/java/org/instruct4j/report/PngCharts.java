package org.instruct4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.instruct4j.core.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HorizontalBarChart;
import org.knowm.xchart.HorizontalBarChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Renders a {@link Chart} to a PNG file (XChart for axes charts, Java2D for the sunburst, which XChart lacks).
 * Works headless; files are written atomically.
 */
public final class PngCharts {
    public static final int DEFAULT_WIDTH = 1200;
    public static final int DEFAULT_HEIGHT = 800;
    /** Where a log y axis starts: below 1, so that a count of 1 is drawn. */
    private static final double LOG_FLOOR = 0.5;
    private static final int TITLE_HEIGHT = 44;

    private static final Color[] PANEL_COLOURS = {new Color(0x5470c6), new Color(0x91cc75), new Color(0xfac858),
        new Color(0xee6666), new Color(0x73c0de)};

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private PngCharts() {}

    public static void write(Chart chart, Path file) {
        write(chart, file, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    public static void write(Chart chart, Path file, int width, int height) {
        BufferedImage image = switch (chart) {
            case BarChart bar -> bar.horizontal() ? BitmapEncoder.getBufferedImage(horizontalBars(bar, width, height))
                    : BitmapEncoder.getBufferedImage(verticalBars(bar, width, height));
            case BarPanels panels -> barPanels(panels, width, height);
            case Histogram histogram -> BitmapEncoder.getBufferedImage(histogram(histogram, width, height));
            case LineChart line -> BitmapEncoder.getBufferedImage(lines(line, width, height));
            case Sunburst sunburst -> SunburstPainter.paint(sunburst, width, height);
        };
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    private static CategoryChart verticalBars(BarChart chart, int width, int height) {
        CategoryChart bars = new CategoryChartBuilder().width(width).height(height).title(chart.title())
                .xAxisTitle(chart.xLabel()).yAxisTitle(chart.yLabel()).build();
        style(bars, chart.series().size());
        bars.getStyler().setXAxisTickMarkSpacingHint(categorySpacing(width, chart.categories().size()));
        bars.getStyler().setXAxisLabelRotation(chart.categories().size() > 8 ? 60 : 0);
        for (Series s : chart.series()) {
            bars.addSeries(s.name(), chart.categories(), boxed(s.values()));
        }
        return bars;
    }

    private static HorizontalBarChart horizontalBars(BarChart chart, int width, int height) {
        HorizontalBarChart bars = new HorizontalBarChartBuilder().width(width).height(height).title(chart.title())
                .xAxisTitle(chart.xLabel()).yAxisTitle(chart.yLabel()).build();
        style(bars, chart.series().size());
        bars.getStyler().setXAxisTickMarkSpacingHint(categorySpacing(height, chart.categories().size()));
        for (Series s : chart.series()) {
            bars.addSeries(s.name(), boxed(s.values()), chart.categories());
        }
        return bars;
    }

    /** Each panel is an XChart horizontal bar chart; they are drawn side by side under the chart's title. */
    private static BufferedImage barPanels(BarPanels chart, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
            g.drawString(chart.title(), (width - g.getFontMetrics().stringWidth(chart.title())) / 2, 30);
            int n = chart.panels().size();
            int panelWidth = width / n;
            double max = EChartsOptions.niceCeiling(chart.maxValue());
            for (int i = 0; i < n; i++) {
                BarPanels.Panel panel = chart.panels().get(i);
                HorizontalBarChart bars = new HorizontalBarChartBuilder().width(panelWidth).height(height - TITLE_HEIGHT)
                        .title(panel.name()).xAxisTitle(chart.valueLabel()).build();
                style(bars, 1);
                bars.getStyler().setXAxisTickMarkSpacingHint(categorySpacing(height - TITLE_HEIGHT, panel.categories().size()));
                bars.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                bars.getStyler().setXAxisMin(0.0);
                bars.getStyler().setXAxisMax(max);
                bars.getStyler().setSeriesColors(new Color[] {PANEL_COLOURS[i % PANEL_COLOURS.length]});
                bars.addSeries(panel.name(), boxed(panel.values()), panel.categories());
                g.drawImage(BitmapEncoder.getBufferedImage(bars), i * panelWidth, TITLE_HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Histograms as step lines over the bin edges: several datasets stay readable where bars would hide each other. */
    private static XYChart histogram(Histogram chart, int width, int height) {
        XYChart xy = new XYChartBuilder().width(width).height(height).title(chart.title())
                .xAxisTitle(chart.xLabel()).yAxisTitle(chart.yLabel()).build();
        style(xy, chart.counts().size());
        xy.getStyler().setYAxisLogarithmic(chart.logY());
        if (chart.logY()) {
            xy.getStyler().setYAxisMin(LOG_FLOOR);
        }
        int bins = chart.bins();
        if ((chart.max() - chart.min()) / bins >= 1) {
            xy.getStyler().setXAxisDecimalPattern("#");
        }
        double[] x = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            x[i] = chart.lowerEdge(0) + (chart.max() - chart.min()) * i / bins;
        }
        for (Histogram.Counts counts : chart.counts()) {
            double[] y = new double[bins + 1];
            for (int i = 0; i <= bins; i++) {
                long c = counts.perBin()[Math.min(i, bins - 1)];
                // a log axis cannot place 0: an empty bin sits on the axis floor
                y[i] = chart.logY() ? Math.max(c, LOG_FLOOR) : c;
            }
            XYSeries series = xy.addSeries(counts.name(), x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            series.setMarker(SeriesMarkers.NONE);
        }
        return xy;
    }

    private static XYChart lines(LineChart chart, int width, int height) {
        XYChart xy = new XYChartBuilder().width(width).height(height).title(chart.title())
                .xAxisTitle(chart.xLabel()).yAxisTitle(chart.yLabel()).build();
        style(xy, chart.lines().size());
        xy.getStyler().setYAxisLogarithmic(chart.logY());
        for (LineChart.Line line : chart.lines()) {
            XYSeries series = xy.addSeries(line.name(), line.x(), line.y());
            series.setMarker(SeriesMarkers.NONE);
        }
        return xy;
    }

    /**
     * The tick spacing hint that labels every category: XChart drops labels closer than the hint (74 pixels by
     * default). In horizontal bar charts the same hint also spaces the value axis, so it is no smaller than needed.
     */
    private static int categorySpacing(int length, int categories) {
        return Math.max(4, (length - 160) / Math.max(1, categories) - 2);
    }

    private static void style(IChart chart, int seriesCount) {
        Styler styler = ((org.knowm.xchart.internal.chartpart.Chart<?, ?>) chart).getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendVisible(seriesCount > 1);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    }

    private static List<Double> boxed(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    /** Decodes a PNG written by {@link #write}, for checks. */
    static BufferedImage read(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
