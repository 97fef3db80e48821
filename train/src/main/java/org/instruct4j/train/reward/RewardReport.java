package org.instruct4j.train.reward;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.instruct4j.report.Histogram;
import org.instruct4j.report.HtmlReport;
import org.instruct4j.report.LineChart;
import org.instruct4j.report.PngCharts;
import org.instruct4j.train.plot.LossCurves;
import org.instruct4j.train.run.MetricsLog;

/**
 * The report of a reward-model run, {@code reward_report.html} with a PNG per chart beside it: held-out pairwise
 * accuracy over the steps against the length-only baseline and chance, the distribution of held-out rewards per
 * response source, and a table of both.
 */
final class RewardReport {
    static final String FILE = "reward_report.html";

    private RewardReport() {}

    static void write(Path output, RewardEvaluation evaluation, String dataSummary) {
        double lengthBaseline = evaluation.lengthBaseline();
        List<double[]> accuracy = LossCurves.series(output.resolve(MetricsLog.FILE), "eval_accuracy");
        List<LineChart.Line> lines = new ArrayList<>();
        lines.add(LossCurves.line("reward model (held out)", accuracy));
        lines.add(LossCurves.line("train batches", LossCurves.series(output.resolve(MetricsLog.FILE), "accuracy")));
        if (!accuracy.isEmpty()) {
            double first = accuracy.get(0)[0], last = accuracy.get(accuracy.size() - 1)[0];
            lines.add(LossCurves.line("longer response wins (held out)", List.of(new double[] {first, lengthBaseline},
                    new double[] {last, lengthBaseline})));
            lines.add(LossCurves.line("chance", List.of(new double[] {first, 0.5}, new double[] {last, 0.5})));
        }
        LineChart curve = new LineChart("Pairwise accuracy", "step", "share of pairs ranked right", lines, false);
        double min = evaluation.rewardsBySource().values().stream().flatMapToDouble(Arrays::stream).min().orElse(0);
        double max = evaluation.rewardsBySource().values().stream().flatMapToDouble(Arrays::stream).max().orElse(1);
        double pad = Math.max(1e-6, (max - min) * 0.01);
        Histogram rewards = Histogram.of("Held-out rewards by source", "reward", "responses", min - pad, max + pad, 40,
                evaluation.rewardsBySource(), false);
        PngCharts.write(curve, output.resolve("reward_accuracy.png"));
        PngCharts.write(rewards, output.resolve("reward_by_source.png"));

        List<List<String>> rows = new ArrayList<>();
        var bySource = evaluation.bySourceJson();
        bySource.fieldNames().forEachRemaining(source -> {
            var s = bySource.get(source);
            rows.add(List.of(source, s.get("responses").asText(), s.get("mean").asText(), s.get("std").asText(),
                    s.get("min").asText(), s.get("median").asText(), s.get("max").asText(), s.get("mean_data_score").asText()));
        });
        new HtmlReport("Reward model")
                .paragraph("Data: " + dataSummary)
                .paragraph(String.format("Held-out pairwise accuracy %.4f on %d pairs (longer response wins: %.4f; chance: 0.5); "
                        + "mean margin r_high - r_low %.4f, mean loss %.4f.", evaluation.accuracy(), evaluation.pairs(),
                        lengthBaseline, evaluation.margin(), evaluation.loss()))
                .chart(curve, "reward_accuracy.png")
                .heading("Rewards of the held-out responses by source")
                .table(List.of("source", "responses", "mean reward", "std", "min", "median", "max", "mean data score"), rows)
                .chart(rewards, "reward_by_source.png")
                .write(output.resolve(FILE));
    }
}
