package org.instruct4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a page of every chart kind in headless Chromium (Debian's, driven by Playwright; nothing is downloaded) and
 * checks that each chart's canvas was drawn, without script errors and without network access. A full-page
 * screenshot is left in target/ for people to look at.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> FLAGS = List.of("--no-sandbox", "--headless", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    @TempDir
    Path dir;

    @Test
    void everyChartIsDrawnOffline() {
        assumeTrue(Files.isExecutable(CHROMIUM), "needs Debian's chromium at " + CHROMIUM);
        Path page = dir.resolve("report.html");
        Map<String, double[]> lengths = new LinkedHashMap<>();
        lengths.put("GPT-4", new double[] {3, 50, 120, 120, 400, 511});
        lengths.put("GPT-3.5 <b>", new double[] {2, 20, 30, 31});
        new HtmlReport("Every chart <script>alert(1)</script>")
                .paragraph("Text with <img src=x onerror=alert(1)> stays text.")
                .chart(new BarChart("Bars", "count", "pair", List.of("write story", "give tip"),
                        List.of(new Series("GPT-4", new double[] {12, 7}), new Series("GPT-3.5", new double[] {9, 11})), true))
                .chart(new BarPanels("Top pairs", "% of rows", List.of(
                        new BarPanels.Panel("GPT-4", List.of("write story", "give tip"), new double[] {4.2, 2.1}),
                        new BarPanels.Panel("</script><b>", List.of("have impact"), new double[] {0.4}))))
                .chart(Histogram.of("Lengths", "words", "rows", 0, 512, 100, lengths, true))
                .chart(new LineChart("Loss", "step", "loss", List.of(new LineChart.Line("train", new double[] {1, 2, 3},
                        new double[] {2.5, 2.0, 1.7})), false))
                .chart(new Sunburst("Verbs", List.of(new Sunburst.Node("write", 10,
                        List.of(Sunburst.Node.leaf("story", 6), Sunburst.Node.leaf("poem", 4))))))
                .write(page);

        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(FLAGS))) {
            Page tab = browser.newPage(new Browser.NewPageOptions().setViewportSize(1200, 900));
            List<String> problems = new ArrayList<>();
            tab.onPageError(problems::add);
            tab.onDialog(dialog -> problems.add("dialog: " + dialog.message()));
            tab.onRequest(request -> {
                if (!request.url().startsWith("file:")) {
                    problems.add("network request: " + request.url());
                }
            });
            tab.navigate(page.toUri().toString());
            tab.waitForSelector("body[data-charts-rendered]");

            assertThat(tab.getAttribute("body", "data-charts-rendered")).isEqualTo("5");
            @SuppressWarnings("unchecked")
            List<Number> drawnPixels = (List<Number>) tab.evaluate("() => Array.from(document.querySelectorAll('.chart'))"
                    + ".map(div => { const canvas = div.querySelector('canvas');"
                    + " const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;"
                    + " let drawn = 0; for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) drawn++; } return drawn; })");
            assertThat(drawnPixels).hasSize(5).allSatisfy(n -> assertThat(n.intValue()).isGreaterThan(2_000));
            assertThat(tab.textContent("h1")).isEqualTo("Every chart <script>alert(1)</script>");
            assertThat(problems).isEmpty();
            tab.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "html-report-browser-test.png")).setFullPage(true));
        }
    }
}
