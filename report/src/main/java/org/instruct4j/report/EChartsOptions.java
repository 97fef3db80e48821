package org.instruct4j.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.instruct4j.core.io.Json;

/** The ECharts option object (https://echarts.apache.org/en/option.html) that draws a {@link Chart}. */
public final class EChartsOptions {
    private EChartsOptions() {}

    public static ObjectNode of(Chart chart) {
        ObjectNode option = Json.object();
        option.putObject("title").put("text", chart.title()).put("left", "center");
        option.putObject("tooltip").put("trigger", chart instanceof Sunburst ? "item" : "axis");
        switch (chart) {
            case BarChart bar -> bar(option, bar);
            case BarPanels panels -> barPanels(option, panels);
            case Histogram histogram -> histogram(option, histogram);
            case LineChart line -> line(option, line);
            case Sunburst sunburst -> sunburst(option, sunburst);
        }
        return option;
    }

    private static void bar(ObjectNode option, BarChart chart) {
        legend(option, chart.series().stream().map(Series::name).toList());
        ObjectNode categoryAxis = axis("category", chart.horizontal() ? chart.yLabel() : chart.xLabel());
        chart.categories().forEach(categoryAxis.putArray("data")::add);
        ObjectNode valueAxis = axis("value", chart.horizontal() ? chart.xLabel() : chart.yLabel());
        if (chart.horizontal()) {
            categoryAxis.put("inverse", true);
            option.set("xAxis", valueAxis);
            option.set("yAxis", categoryAxis);
            option.putObject("grid").put("left", "22%").put("right", "4%").put("top", 60);
        } else {
            option.set("xAxis", categoryAxis);
            option.set("yAxis", valueAxis);
            option.putObject("grid").put("top", 60).put("containLabel", true);
        }
        ArrayNode series = option.putArray("series");
        for (Series s : chart.series()) {
            ObjectNode node = series.addObject().put("name", s.name()).put("type", "bar");
            ArrayNode data = node.putArray("data");
            for (double v : s.values()) {
                data.add(v);
            }
        }
    }

    /** One grid per panel, side by side, each with its own category axis and a shared value axis. */
    private static void barPanels(ObjectNode option, BarPanels chart) {
        int n = chart.panels().size();
        double width = 100.0 / n;
        double max = niceCeiling(chart.maxValue());
        ObjectNode mainTitle = (ObjectNode) option.get("title");
        ArrayNode titles = option.putArray("title");
        titles.add(mainTitle);
        ArrayNode grids = option.putArray("grid");
        ArrayNode xAxes = option.putArray("xAxis");
        ArrayNode yAxes = option.putArray("yAxis");
        ArrayNode series = option.putArray("series");
        for (int i = 0; i < n; i++) {
            BarPanels.Panel panel = chart.panels().get(i);
            String centre = percent(width * i + width / 2);
            titles.addObject().put("text", panel.name()).put("left", centre).put("top", 30).put("textAlign", "center")
                    .putObject("textStyle").put("fontSize", 14);
            grids.addObject().put("left", percent(width * i + 1)).put("width", percent(width - 3))
                    .put("top", 64).put("bottom", 48).put("containLabel", true);
            ObjectNode valueAxis = axis("value", chart.valueLabel()).put("gridIndex", i).put("max", max);
            xAxes.add(valueAxis);
            ObjectNode categoryAxis = Json.object().put("type", "category").put("gridIndex", i).put("inverse", true);
            categoryAxis.putObject("axisLabel").put("interval", 0);
            panel.categories().forEach(categoryAxis.putArray("data")::add);
            yAxes.add(categoryAxis);
            ObjectNode bars = series.addObject().put("name", panel.name()).put("type", "bar")
                    .put("xAxisIndex", i).put("yAxisIndex", i);
            ArrayNode data = bars.putArray("data");
            for (double v : panel.values()) {
                data.add(v);
            }
        }
    }

    /** A round axis end at or above {@code value} (1, 2, 2.5 or 5 times a power of ten), so panels share ticks. */
    static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }

    private static void histogram(ObjectNode option, Histogram chart) {
        legend(option, chart.counts().stream().map(Histogram.Counts::name).toList());
        ObjectNode xAxis = axis("category", chart.xLabel());
        ArrayNode labels = xAxis.putArray("data");
        // bins at least one unit wide are labelled with whole numbers (words 0, 5, 10 rather than 5.12, 10.24)
        boolean wholeNumbers = (chart.max() - chart.min()) / chart.bins() >= 1;
        for (int i = 0; i < chart.bins(); i++) {
            labels.add(format(wholeNumbers ? Math.round(chart.lowerEdge(i)) : chart.lowerEdge(i)));
        }
        option.set("xAxis", xAxis);
        ObjectNode yAxis = axis(chart.logY() ? "log" : "value", chart.yLabel());
        if (chart.logY()) {
            yAxis.put("min", 1);
        }
        option.set("yAxis", yAxis);
        option.putObject("grid").put("top", 60).put("containLabel", true);
        ArrayNode series = option.putArray("series");
        for (Histogram.Counts counts : chart.counts()) {
            ObjectNode node = series.addObject().put("name", counts.name()).put("type", "bar").put("barGap", "0%");
            if (chart.logY()) {
                // ECharts starts bars on a log axis at 1, where a bin holding one value would have no height
                node.put("barMinHeight", 3);
            }
            ArrayNode data = node.putArray("data");
            for (long c : counts.perBin()) {
                // a log axis cannot place 0; an empty bin is drawn as no bar at all
                if (chart.logY() && c == 0) {
                    data.addNull();
                } else {
                    data.add(c);
                }
            }
        }
    }

    private static void line(ObjectNode option, LineChart chart) {
        legend(option, chart.lines().stream().map(LineChart.Line::name).toList());
        option.set("xAxis", axis("value", chart.xLabel()));
        option.set("yAxis", axis(chart.logY() ? "log" : "value", chart.yLabel()).put("scale", true));
        option.putObject("grid").put("top", 60).put("containLabel", true);
        ArrayNode series = option.putArray("series");
        for (LineChart.Line line : chart.lines()) {
            ObjectNode node = series.addObject().put("name", line.name()).put("type", "line").put("showSymbol", false);
            ArrayNode data = node.putArray("data");
            for (int i = 0; i < line.x().length; i++) {
                data.addArray().add(line.x()[i]).add(line.y()[i]);
            }
        }
    }

    private static void sunburst(ObjectNode option, Sunburst chart) {
        ObjectNode series = option.putArray("series").addObject();
        series.put("type", "sunburst").put("radius", "90%").put("sort", "desc");
        series.putArray("center").add("50%").add("54%");
        series.putObject("label").put("rotate", "radial").put("minAngle", 4);
        addNodes(series.putArray("data"), chart.roots());
    }

    private static void addNodes(ArrayNode target, List<Sunburst.Node> nodes) {
        for (Sunburst.Node node : nodes) {
            ObjectNode json = target.addObject().put("name", node.name()).put("value", node.value());
            if (!node.children().isEmpty()) {
                addNodes(json.putArray("children"), node.children());
            }
        }
    }

    private static void legend(ObjectNode option, List<String> names) {
        if (names.size() > 1) {
            ArrayNode data = option.putObject("legend").put("top", 28).putArray("data");
            names.forEach(data::add);
        }
    }

    private static ObjectNode axis(String type, String name) {
        ObjectNode axis = Json.object().put("type", type);
        if (name != null && !name.isEmpty()) {
            axis.put("name", name).put("nameLocation", "middle").put("nameGap", 32);
        }
        return axis;
    }

    static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3g", value);
    }
}
