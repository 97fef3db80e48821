package org.instruct4j.train.plot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.report.HtmlReport;
import org.instruct4j.report.LineChart;
import org.instruct4j.report.PngCharts;

/**
 * Loss curves of one or more runs from their metrics.jsonl: training loss per step and, where measured, the
 * held-out loss, drawn as one interactive HTML page and a PNG beside it.
 */
public final class LossCurves {
    private LossCurves() {}

    /** The chart of {@code runs} (run directories or metrics.jsonl files). */
    public static LineChart chart(List<Path> runs) {
        List<LineChart.Line> lines = new ArrayList<>();
        for (Path run : runs) {
            Path file = Files.isDirectory(run) ? run.resolve("metrics.jsonl") : run;
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(run + ": no metrics.jsonl; is this an instruct4j train run directory?");
            }
            String name = (Files.isDirectory(run) ? run : file.toAbsolutePath().getParent()).getFileName().toString();
            lines.add(line(name + " train", series(file, "loss")));
            List<double[]> eval = series(file, "eval_loss");
            if (!eval.isEmpty()) {
                lines.add(line(name + " eval", eval));
            }
        }
        return new LineChart("Loss", "step", "loss (nats per token or per pair)", lines, false);
    }

    /** The (step, value) points of the rows of a metrics.jsonl that hold {@code field}. */
    public static List<double[]> series(Path metrics, String field) {
        List<double[]> points = new ArrayList<>();
        Datasets.forEach(metrics, row -> row, (JsonRow row) -> {
            if (row.node().has(field)) {
                points.add(new double[] {row.integer("step"), row.number(field)});
            }
        });
        return points;
    }

    public static LineChart.Line line(String name, List<double[]> points) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new LineChart.Line(name, x, y);
    }

    /** Writes {@code html} and, beside it, a PNG of the same name; returns the PNG's path. */
    public static Path write(List<Path> runs, Path html) {
        LineChart chart = chart(runs);
        String base = html.getFileName().toString().replaceFirst("\\.html?$", "");
        Path png = html.resolveSibling(base + ".png");
        PngCharts.write(chart, png);
        new HtmlReport("Loss curves").paragraph("Runs: " + String.join(", ", runs.stream().map(Path::toString).toList()))
                .chart(chart, png.getFileName().toString()).write(html);
        return png;
    }
}
