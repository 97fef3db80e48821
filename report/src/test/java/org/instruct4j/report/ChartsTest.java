package org.instruct4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    private static BarChart bars() {
        return new BarChart("Top pairs", "pair", "count", List.of("write story", "give tips"),
                List.of(new Series("GPT-4", new double[] {12, 7}), new Series("GPT-3.5", new double[] {9, 11})), true);
    }

    @Test
    void histogramBinsValuesAndCountsWhatFallsOutside() {
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put("a", new double[] {0, 5.1, 5.2, 99.9, 100, -1});
        Histogram h = Histogram.of("lengths", "words", "rows", 0, 100, 10, values, true);
        assertThat(h.bins()).isEqualTo(10);
        assertThat(h.counts().get(0).perBin()).containsExactly(3, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(h.counts().get(0).outside()).isEqualTo(2);
        assertThat(h.lowerEdge(3)).isEqualTo(30.0);
    }

    @Test
    void barSeriesMustMatchCategories() {
        assertThatThrownBy(() -> new BarChart("t", "x", "y", List.of("a"), List.of(new Series("s", new double[] {1, 2})), false))
                .hasMessageContaining("2 values for 1 categories");
    }

    @Test
    void echartsOptionCarriesTheData() {
        JsonNode option = EChartsOptions.of(bars());
        assertThat(option.at("/yAxis/data/1").asText()).isEqualTo("give tips");
        assertThat(option.at("/series/1/data/1").asDouble()).isEqualTo(11);
        assertThat(option.at("/legend/data/0").asText()).isEqualTo("GPT-4");

        Sunburst sunburst = new Sunburst("verbs", List.of(new Sunburst.Node("write", 10,
                List.of(Sunburst.Node.leaf("story", 6), Sunburst.Node.leaf("poem", 4)))));
        JsonNode tree = EChartsOptions.of(sunburst);
        assertThat(tree.at("/series/0/type").asText()).isEqualTo("sunburst");
        assertThat(tree.at("/series/0/data/0/children/1/name").asText()).isEqualTo("poem");
    }

    private static BarPanels panels() {
        return new BarPanels("Top pairs", "% of rows", List.of(
                new BarPanels.Panel("GPT-4", List.of("write story", "give tip", "create list"), new double[] {4.2, 2.1, 1.0}),
                new BarPanels.Panel("GPT-3.5", List.of("have impact", "play role"), new double[] {0.4, 0.1})));
    }

    @Test
    void barPanelsShareOneValueScaleButNotCategories() {
        JsonNode option = EChartsOptions.of(panels());
        assertThat(option.get("grid")).hasSize(2);
        assertThat(option.at("/yAxis/0/data/2").asText()).isEqualTo("create list");
        assertThat(option.at("/yAxis/1/data/0").asText()).isEqualTo("have impact");
        assertThat(option.at("/yAxis/1/gridIndex").asInt()).isEqualTo(1);
        assertThat(option.at("/series/1/xAxisIndex").asInt()).isEqualTo(1);
        assertThat(option.at("/series/1/data/1").asDouble()).isEqualTo(0.1);
        assertThat(option.at("/xAxis/0/max").asDouble()).isEqualTo(5.0).isEqualTo(option.at("/xAxis/1/max").asDouble());
        assertThat(option.at("/title/0/text").asText()).isEqualTo("Top pairs");
        assertThat(option.at("/title/2/text").asText()).isEqualTo("GPT-3.5");
        assertThatThrownBy(() -> new BarPanels.Panel("p", List.of("a"), new double[] {1, 2})).hasMessageContaining("2 values for 1");
    }

    @Test
    void niceCeilingRoundsUpToOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(EChartsOptions.niceCeiling(0.42)).isEqualTo(0.5);
        assertThat(EChartsOptions.niceCeiling(4.2)).isEqualTo(5);
        assertThat(EChartsOptions.niceCeiling(21)).isEqualTo(25);
        assertThat(EChartsOptions.niceCeiling(100)).isEqualTo(100);
        assertThat(EChartsOptions.niceCeiling(0)).isEqualTo(1);
    }

    @Test
    void logHistogramLeavesEmptyBinsOut() {
        Histogram h = Histogram.of("t", "x", "y", 0, 2, 2, Map.of("a", new double[] {0.5}), true);
        JsonNode option = EChartsOptions.of(h);
        assertThat(option.at("/yAxis/type").asText()).isEqualTo("log");
        assertThat(option.at("/series/0/data/0").asLong()).isEqualTo(1);
        assertThat(option.at("/series/0/data/1").isNull()).isTrue();
    }

    @Test
    void htmlIsSelfContainedAndEscapesText() {
        String html = new HtmlReport("Report <1>")
                .paragraph("answer: <script>alert(1)</script>")
                .table(List.of("model", "score"), List.of(List.of("<b>x</b>", "1")))
                .chart(bars(), "top_pairs.png")
                .html();
        assertThat(html).contains("echarts").contains("Report &lt;1&gt;");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
        assertThat(html).contains("&lt;b&gt;x&lt;/b&gt;");
        assertThat(html).doesNotContain("src=\"http");
        assertThat(html.length()).isGreaterThan(500_000);
    }

    @Test
    void chartDataCannotCloseTheScriptElement() {
        BarChart sneaky = new BarChart("</script><script>alert(1)</script>", "x", "y", List.of("</script>"),
                List.of(new Series("s", new double[] {1})), false);
        String html = new HtmlReport("t").chart(sneaky).html();
        assertThat(html).doesNotContain("</script><script>alert(1)");
        int start = html.indexOf("id=\"chart-1-option\">") + "id=\"chart-1-option\">".length();
        String json = html.substring(start, html.indexOf("</script>", start)).replace("<\\/", "</");
        assertThat(Json.MAPPER.valueToTree(Json.MAPPER.convertValue(parse(json), Object.class)).at("/title/text").asText())
                .isEqualTo("</script><script>alert(1)</script>");
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyChartKindRendersToPng() throws Exception {
        Map<String, double[]> lengths = new LinkedHashMap<>();
        lengths.put("GPT-4", new double[] {3, 50, 120, 400, 400});
        lengths.put("GPT-3.5", new double[] {2, 20, 30});
        List<Chart> charts = List.of(
                bars(),
                panels(),
                new BarChart("vertical", "x", "y", List.of("a", "b", "c"), List.of(new Series("s", new double[] {1, 2, 3})), false),
                Histogram.of("lengths", "words", "rows", 0, 512, 100, lengths, true),
                new LineChart("loss", "step", "loss", List.of(new LineChart.Line("train", new double[] {1, 2, 3},
                        new double[] {2.5, 2.0, 1.7})), false),
                new Sunburst("verbs", List.of(
                        new Sunburst.Node("write", 10, List.of(Sunburst.Node.leaf("story", 6), Sunburst.Node.leaf("poem", 4))),
                        new Sunburst.Node("give", 5, List.of(Sunburst.Node.leaf("tips", 5))))));
        for (int i = 0; i < charts.size(); i++) {
            Path png = dir.resolve("chart" + i + ".png");
            PngCharts.write(charts.get(i), png, 800, 600);
            BufferedImage image = PngCharts.read(png);
            assertThat(image.getWidth()).isEqualTo(800);
            assertThat(image.getHeight()).isEqualTo(600);
            assertThat(distinctColours(image)).as("chart %d draws something", i).isGreaterThan(5);
        }
        assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".tmp")).count()).isZero();
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
