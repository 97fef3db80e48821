package org.instruct4j.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;

/**
 * One self-contained HTML page of headings, text, tables and interactive charts. ECharts is inlined, so the
 * page works offline and can be mailed as one file. Every piece of text is escaped: datasets hold model
 * output, which is untrusted and must show as text, never as markup.
 */
public final class HtmlReport {
    private final String title;
    private final List<String> body = new ArrayList<>();
    private int charts;

    public HtmlReport(String title) {
        this.title = title;
    }

    public HtmlReport heading(String text) {
        body.add("<h2>" + escape(text) + "</h2>");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.add("<p>" + escape(text) + "</p>");
        return this;
    }

    /** Text shown as it is, in a fixed-width font (a table printed as text). */
    public HtmlReport preformatted(String text) {
        body.add("<pre>" + escape(text) + "</pre>");
        return this;
    }

    /** A table; cells are text. */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        StringBuilder html = new StringBuilder("<table><thead><tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
            html.append("</tr>");
        }
        body.add(html.append("</tbody></table>").toString());
        return this;
    }

    /** An interactive chart; {@code pngName}, when not null, is shown as a link to the chart's PNG beside the page. */
    public HtmlReport chart(Chart chart, String pngName) {
        String id = "chart-" + (++charts);
        String option = Json.line(EChartsOptions.of(chart)).replace("</", "<\\/");
        StringBuilder html = new StringBuilder("<figure><div class=\"chart\" id=\"").append(id).append("\"></div>")
                .append("<script type=\"application/json\" id=\"").append(id).append("-option\">").append(option)
                .append("</script>");
        if (pngName != null) {
            html.append("<figcaption><a href=\"").append(escape(pngName)).append("\">PNG</a></figcaption>");
        }
        body.add(html.append("</figure>").toString());
        return this;
    }

    public HtmlReport chart(Chart chart) {
        return chart(chart, null);
    }

    /** The page as HTML text. */
    public String html() {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
                .chart { width: 100%%; height: 520px; }
                figure { margin: 1.5em 0; } figcaption { text-align: right; font-size: 0.85em; }
                table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
                th { background: #f3f3f3; }
                </style>
                <script>%s</script>
                </head><body>
                <h1>%s</h1>
                %s
                <script>
                document.querySelectorAll('.chart').forEach(function (div) {
                  var option = JSON.parse(document.getElementById(div.id + '-option').textContent);
                  var chart = echarts.init(div, null, {renderer: 'canvas'});
                  chart.setOption(option);
                  window.addEventListener('resize', function () { chart.resize(); });
                });
                document.body.setAttribute('data-charts-rendered', String(document.querySelectorAll('.chart').length));
                </script>
                </body></html>
                """.formatted(escape(title), ECharts.SCRIPT.replace("</script", "<\\/script"), escape(title),
                String.join("\n", body));
    }

    /** Writes the page atomically. */
    public void write(Path file) {
        AtomicFiles.writeString(file, html());
    }

    /** Text made safe to place in HTML content or a quoted attribute. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Apache ECharts' echarts.min.js (Apache-2.0, see NOTICE), kept beside this class, read once. Its version is
     * report/pom.xml's echarts.version; EChartsScriptTest checks the file against that release's webjar.
     */
    private static final class ECharts {
        static final String RESOURCE = "echarts.min.js";
        static final String SCRIPT = load();

        private static String load() {
            try (InputStream script = HtmlReport.class.getResourceAsStream(RESOURCE)) {
                if (script == null) {
                    throw new IllegalStateException("ECharts is missing from the classpath: org/instruct4j/report/" + RESOURCE);
                }
                return new String(script.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled ECharts script", e);
            }
        }
    }
}
