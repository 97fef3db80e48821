package org.instruct4j.eval.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.report.BarChart;
import org.instruct4j.report.Chart;
import org.instruct4j.report.HtmlReport;
import org.instruct4j.report.PngCharts;
import org.instruct4j.report.Series;

/**
 * The results of LLM-as-judge runs as GPT-4-LLM reported them: per comparison the relative score (A's score sum over
 * B's, the paper's Figure 4), wins, ties and losses, per question category, and, when the answers were also judged
 * in the other order, both orders, their average and how often the verdict flipped. Single-answer grades are
 * reported as mean scores per model. As text, as JSON, and as an HTML page with charts plus a PNG of each.
 */
public final class JudgeReport {
    private final List<PairwiseComparison> comparisons;
    private final List<SingleGrades> grades;

    public JudgeReport(List<PairwiseComparison> comparisons, List<SingleGrades> grades) {
        this.comparisons = List.copyOf(comparisons);
        this.grades = List.copyOf(grades);
    }

    /**
     * Reads review files (pairwise reviews or single-answer judgments). {@code questions}, when not null, gives the
     * question categories; {@code answers} name the models of reviews that carry only answer ids.
     */
    public static JudgeReport load(List<Path> reviewFiles, Path questions, List<Path> answers) {
        List<EvalQuestion> questionList = questions == null ? List.of() : QuestionFile.read(questions);
        Map<String, String> categories = new HashMap<>();
        questionList.forEach(q -> categories.put(q.key(), q.category()));
        Map<String, String> modelByAnswerId = new HashMap<>();
        answers.forEach(file -> modelByAnswerId.putAll(AnswerFile.read(file, questionList).modelByAnswerId()));
        List<PairwiseComparison> comparisons = new ArrayList<>();
        List<SingleGrades> grades = new ArrayList<>();
        for (Path file : reviewFiles) {
            switch (ReviewFile.read(file)) {
                case ReviewFile.Pairwise pairwise -> comparisons.add(PairwiseComparison.of(pairwise, modelByAnswerId, categories));
                case ReviewFile.Single single -> grades.add(SingleGrades.of(single, categories));
            }
        }
        return new JudgeReport(comparisons, grades);
    }

    public List<PairwiseComparison> comparisons() {
        return comparisons;
    }

    public List<SingleGrades> grades() {
        return grades;
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        for (PairwiseComparison c : comparisons) {
            out.append(String.format(Locale.ROOT, "%s: %s (A) vs %s (B)%n", c.file().getFileName(), c.modelA(), c.modelB()));
            out.append(String.format(Locale.ROOT, "  %-10s %9s %9s %9s %9s %7s %5s %7s %11s%n", "order", "judged", "A sum",
                    "B sum", "relative", "A wins", "ties", "B wins", "unparsable"));
            for (Map.Entry<String, Outcome> row : orders(c).entrySet()) {
                out.append("  ").append(outcomeRow(row.getKey(), row.getValue(), 10));
            }
            if (c.hasSwappedOrder() && c.hasForwardOrder()) {
                PairwiseComparison.Flips flips = c.flips();
                out.append(String.format(Locale.ROOT,
                        "  verdict flipped when the answers changed places: %d of %d questions (%s); the first answer won %d of %d (A first) and %d of %d (B first)%n",
                        flips.flipped(), flips.compared(), percent(flips.rate()), c.aFirst().winsA(), c.aFirst().judged(),
                        c.bFirst().winsB(), c.bFirst().judged()));
            }
            List<String> failed = c.failedQuestions();
            if (!failed.isEmpty()) {
                out.append("  unparsable reviews (score -1 -1, left out of the sums as FastChat does): questions ")
                        .append(String.join(", ", failed)).append('\n');
            }
            out.append(String.format(Locale.ROOT, "  per category%s:%n", c.hasSwappedOrder() && c.hasForwardOrder() ? " (both orders)" : ""));
            c.perCategory().forEach((category, outcome) -> out.append("    ").append(outcomeRow(category, outcome, 14)));
            out.append('\n');
        }
        for (SingleGrades g : grades) {
            out.append(g.file().getFileName()).append(": single-answer grades (1-10)\n");
            out.append(String.format(Locale.ROOT, "  %-30s %7s %7s %11s%n", "model", "mean", "graded", "unparsable"));
            g.perModel().forEach((model, s) -> out.append(String.format(Locale.ROOT, "  %-30s %7s %7d %11d%n", model,
                    mean(s.mean()), s.graded(), s.failed())));
            out.append("  per category:\n");
            g.perCategory().forEach((category, models) -> models.forEach((model, s) -> out.append(String.format(Locale.ROOT,
                    "    %-14s %-30s %7s %7d%n", category, model, mean(s.mean()), s.graded()))));
            out.append('\n');
        }
        return out.toString();
    }

    private static Map<String, Outcome> orders(PairwiseComparison c) {
        Map<String, Outcome> orders = new java.util.LinkedHashMap<>();
        if (c.hasForwardOrder()) {
            orders.put("A first", c.aFirst());
        }
        if (c.hasSwappedOrder()) {
            orders.put("B first", c.bFirst());
        }
        if (c.hasSwappedOrder() && c.hasForwardOrder()) {
            orders.put("average", c.combined());
        }
        return orders;
    }

    private static String outcomeRow(String label, Outcome o, int labelWidth) {
        return String.format(Locale.ROOT, "%-" + labelWidth + "s %9d %9s %9s %9s %7d %5d %7d %11d%n", label, o.judged(), decimal(o.sumA()),
                decimal(o.sumB()), percent(o.relative()), o.winsA(), o.ties(), o.winsB(), o.failed());
    }

    public ObjectNode json() {
        ObjectNode root = Json.object();
        ArrayNode pairwise = root.putArray("comparisons");
        for (PairwiseComparison c : comparisons) {
            ObjectNode node = pairwise.addObject();
            node.put("file", c.file().toString());
            node.put("model_a", c.modelA());
            node.put("model_b", c.modelB());
            orders(c).forEach((order, outcome) -> node.set(order.replace(' ', '_'), outcomeJson(outcome)));
            if (c.hasSwappedOrder() && c.hasForwardOrder()) {
                PairwiseComparison.Flips flips = c.flips();
                node.putObject("flips").put("flipped", flips.flipped()).put("compared", flips.compared());
            }
            ObjectNode categories = node.putObject("categories");
            c.perCategory().forEach((category, outcome) -> categories.set(category, outcomeJson(outcome)));
            c.failedQuestions().forEach(node.putArray("unparsable_questions")::add);
        }
        ArrayNode single = root.putArray("single");
        for (SingleGrades g : grades) {
            ObjectNode node = single.addObject();
            node.put("file", g.file().toString());
            ObjectNode models = node.putObject("models");
            g.perModel().forEach((model, s) -> models.set(model, scoreJson(s)));
            ObjectNode categories = node.putObject("categories");
            g.perCategory().forEach((category, perModel) -> {
                ObjectNode byModel = categories.putObject(category);
                perModel.forEach((model, s) -> byModel.set(model, scoreJson(s)));
            });
        }
        return root;
    }

    private static ObjectNode outcomeJson(Outcome o) {
        ObjectNode node = Json.object();
        node.put("sum_a", o.sumA()).put("sum_b", o.sumB());
        if (!Double.isNaN(o.relative())) {
            node.put("relative", o.relative());
        }
        return node.put("wins_a", o.winsA()).put("ties", o.ties()).put("wins_b", o.winsB()).put("unparsable", o.failed());
    }

    private static ObjectNode scoreJson(SingleGrades.Score s) {
        ObjectNode node = Json.object();
        if (!Double.isNaN(s.mean())) {
            node.put("mean", s.mean());
        }
        return node.put("graded", s.graded()).put("unparsable", s.failed());
    }

    /** Writes the HTML page and, beside it, one PNG per chart ({@code report-1.png}, ...). */
    public void writeHtml(Path html) {
        HtmlReport page = new HtmlReport("LLM-as-judge results");
        List<Chart> charts = new ArrayList<>();
        if (!comparisons.isEmpty()) {
            page.heading("Pairwise comparisons");
            page.paragraph("Relative score = sum of model A's scores / sum of model B's scores over the questions "
                    + "(GPT-4-LLM, Figure 4). Reviews whose scores could not be read (-1 -1) are left out of the sums.");
            page.table(List.of("file", "model A", "model B", "order", "judged", "A sum", "B sum", "relative", "A wins", "ties",
                    "B wins", "unparsable"), comparisonRows());
            charts.add(relativeChart());
            charts.add(outcomeChart());
            if (comparisons.stream().anyMatch(c -> c.hasSwappedOrder() && c.hasForwardOrder())) {
                charts.add(positionChart());
            }
            comparisons.forEach(c -> charts.add(categoryChart(c)));
        }
        for (SingleGrades g : grades) {
            page.heading("Single-answer grades: " + g.file().getFileName());
            charts.add(singleChart(g));
        }
        String stem = html.getFileName().toString().replaceFirst("\\.html?$", "");
        for (int i = 0; i < charts.size(); i++) {
            String png = stem + "-" + (i + 1) + ".png";
            PngCharts.write(charts.get(i), html.resolveSibling(png));
            page.chart(charts.get(i), png);
        }
        page.write(html);
    }

    /** Writes the JSON summary atomically. */
    public void writeJson(Path file) {
        AtomicFiles.writeString(file, json().toPrettyString() + "\n");
    }

    private List<List<String>> comparisonRows() {
        List<List<String>> rows = new ArrayList<>();
        for (PairwiseComparison c : comparisons) {
            orders(c).forEach((order, o) -> rows.add(List.of(c.file().getFileName().toString(), c.modelA(), c.modelB(), order,
                    Integer.toString(o.judged()), decimal(o.sumA()), decimal(o.sumB()), percent(o.relative()),
                    Integer.toString(o.winsA()), Integer.toString(o.ties()), Integer.toString(o.winsB()),
                    Integer.toString(o.failed()))));
        }
        return rows;
    }

    private List<String> labels() {
        return comparisons.stream().map(c -> c.modelA() + " vs " + c.modelB()).toList();
    }

    private Chart relativeChart() {
        double[] relative = comparisons.stream().mapToDouble(c -> chartValue(100 * c.combined().relative())).toArray();
        return new BarChart("Relative score: A's score sum / B's (%)", "relative score (%)", "", labels(),
                List.of(new Series("relative score", relative)), true);
    }

    private Chart outcomeChart() {
        double[] wins = new double[comparisons.size()];
        double[] ties = new double[comparisons.size()];
        double[] losses = new double[comparisons.size()];
        for (int i = 0; i < comparisons.size(); i++) {
            Outcome o = comparisons.get(i).combined();
            wins[i] = share(o.winsA(), o.judged());
            ties[i] = share(o.ties(), o.judged());
            losses[i] = share(o.winsB(), o.judged());
        }
        return new BarChart("Judge's verdicts (% of questions)", "% of judged questions", "", labels(),
                List.of(new Series("A wins", wins), new Series("tie", ties), new Series("B wins", losses)), true);
    }

    private Chart positionChart() {
        List<PairwiseComparison> swapped = comparisons.stream().filter(c -> c.hasSwappedOrder() && c.hasForwardOrder()).toList();
        double[] aFirst = swapped.stream().mapToDouble(c -> chartValue(100 * c.aFirst().relative())).toArray();
        double[] bFirst = swapped.stream().mapToDouble(c -> chartValue(100 * c.bFirst().relative())).toArray();
        double[] flips = swapped.stream().mapToDouble(c -> chartValue(100 * c.flips().rate())).toArray();
        return new BarChart("Position bias: relative score per order, and verdict flips (%)", "%", "",
                swapped.stream().map(c -> c.modelA() + " vs " + c.modelB()).toList(),
                List.of(new Series("A first", aFirst), new Series("B first", bFirst), new Series("verdict flips", flips)), true);
    }

    private static Chart categoryChart(PairwiseComparison c) {
        Map<String, Outcome> perCategory = c.perCategory();
        double[] relative = perCategory.values().stream().mapToDouble(o -> chartValue(100 * o.relative())).toArray();
        return new BarChart(c.modelA() + " vs " + c.modelB() + ": relative score per category (%)", "category",
                "relative score (%)", List.copyOf(perCategory.keySet()), List.of(new Series("relative score", relative)), false);
    }

    private static Chart singleChart(SingleGrades g) {
        double[] means = g.perModel().values().stream().mapToDouble(s -> chartValue(s.mean())).toArray();
        return new BarChart("Mean single-answer score (1-10)", "mean score", "", List.copyOf(g.perModel().keySet()),
                List.of(new Series("mean score", means)), true);
    }

    /** Charts need numbers: an undefined ratio (nothing judged) is drawn as 0 and shown as "-" in the tables. */
    private static double chartValue(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static double share(int count, int total) {
        return total == 0 ? 0 : 100.0 * count / total;
    }

    static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }

    static String mean(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    static String decimal(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }
}
