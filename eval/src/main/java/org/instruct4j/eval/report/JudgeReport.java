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
import org.instruct4j.eval.judge.ScoreParse;
import org.instruct4j.report.BarChart;
import org.instruct4j.report.Chart;
import org.instruct4j.report.HtmlReport;
import org.instruct4j.report.PngCharts;
import org.instruct4j.report.Series;

/**
 * The results of LLM-as-judge runs as GPT-4-LLM and FastChat report them. Vicuna pairwise reviews: per comparison the
 * relative score (A's score sum over B's, the paper's Figure 4), wins, ties and losses, per question category, and,
 * when the answers were also judged in the other order, both orders, their average and how often the verdict flipped.
 * MT-bench judgments: FastChat's {@code show_result} (mean single-answer score per turn and overall; pairwise wins,
 * losses, ties and win rates). Every pairwise comparison whose answers are known also gets its
 * {@link LengthControlledView length-controlled win rate}; labelled {@link Setup setups} are summed up side by side
 * (the paper's Figure 5). As text, as JSON, and as an HTML page with charts plus a PNG of each.
 */
public final class JudgeReport {
    /** Review files judged in one setting, e.g. "answers translated into Chinese". */
    public record Setup(String label, List<Path> reviews) {}

    private final List<PairwiseComparison> comparisons;
    private final List<SingleGrades> grades;
    private final List<ReviewFile.Verdicts> verdicts;
    private final AnswerLengths lengths;
    private final List<Setup> setups;

    private JudgeReport(List<PairwiseComparison> comparisons, List<SingleGrades> grades, List<ReviewFile.Verdicts> verdicts,
            AnswerLengths lengths, List<Setup> setups) {
        this.comparisons = List.copyOf(comparisons);
        this.grades = List.copyOf(grades);
        this.verdicts = List.copyOf(verdicts);
        this.lengths = lengths;
        this.setups = List.copyOf(setups);
    }

    /** {@link #load(List, Path, List, ScoreParse, List)} with the stored scores and no setups. */
    public static JudgeReport load(List<Path> reviewFiles, Path questions, List<Path> answers) {
        return load(reviewFiles, questions, answers, null, List.of());
    }

    /**
     * Reads review files (Vicuna pairwise reviews, MT-bench single or pairwise judgments) and the files of each setup.
     * {@code questions}, when not null, gives the question categories; {@code answers} name the models of reviews that
     * carry only answer ids and give the answer lengths of the length-controlled win rates; {@code rescore}, when not
     * null, reads the scores of pairwise reviews again from their text with that parser instead of the stored ones.
     */
    public static JudgeReport load(List<Path> reviewFiles, Path questions, List<Path> answers, ScoreParse rescore,
            List<Setup> setups) {
        List<EvalQuestion> questionList = questions == null ? List.of() : QuestionFile.read(questions);
        Map<String, String> categories = new HashMap<>();
        questionList.forEach(q -> categories.put(q.key(), q.category()));
        Map<String, String> modelByAnswerId = new HashMap<>();
        AnswerLengths lengths = new AnswerLengths();
        for (Path file : answers) {
            AnswerFile answerFile = AnswerFile.read(file, questionList);
            modelByAnswerId.putAll(answerFile.modelByAnswerId());
            lengths.add(answerFile);
        }
        List<PairwiseComparison> comparisons = new ArrayList<>();
        List<SingleGrades> grades = new ArrayList<>();
        List<ReviewFile.Verdicts> verdicts = new ArrayList<>();
        List<Path> files = new ArrayList<>(reviewFiles);
        setups.forEach(setup -> setup.reviews().stream().filter(f -> !files.contains(f)).forEach(files::add));
        for (Path file : files) {
            switch (ReviewFile.read(file)) {
                case ReviewFile.Pairwise pairwise -> comparisons.add(PairwiseComparison.of(rescore == null ? pairwise
                        : new ReviewFile.Pairwise(file, pairwise.reviews().stream().map(r -> r.rescored(rescore)).toList()),
                        modelByAnswerId, categories));
                case ReviewFile.Single single -> grades.add(SingleGrades.of(single, categories));
                case ReviewFile.Verdicts v -> verdicts.add(v);
            }
        }
        return new JudgeReport(comparisons, grades, verdicts, lengths, setups);
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
            if (!c.recoveredQuestions().isEmpty()) {
                out.append("  scores read only by the lenient parser (FastChat's reads none): questions ")
                        .append(String.join(", ", c.recoveredQuestions())).append('\n');
            }
            LengthControlledView lc = lengthControlled(c);
            if (lc != null) {
                out.append(lc.line());
            }
            out.append(String.format(Locale.ROOT, "  per category%s:%n", c.hasSwappedOrder() && c.hasForwardOrder() ? " (both orders)" : ""));
            c.perCategory().forEach((category, outcome) -> out.append("    ").append(outcomeRow(category, outcome, 14)));
            out.append('\n');
        }
        for (SingleGrades g : grades) {
            out.append(ShowResult.single(g.source())).append('\n');
            out.append(String.format(Locale.ROOT, "  %-30s %7s %7s %11s%n", "model (every turn)", "mean", "graded", "unparsable"));
            g.perModel().forEach((model, s) -> out.append(String.format(Locale.ROOT, "  %-30s %7s %7d %11d%n", model,
                    mean(s.mean()), s.graded(), s.failed())));
            if (!g.recovered().isEmpty()) {
                out.append("  ratings read only by the lenient parser (FastChat's reads none): questions ")
                        .append(String.join(", ", g.recovered())).append('\n');
            }
            out.append("  per category:\n");
            g.perCategory().forEach((category, models) -> models.forEach((model, s) -> out.append(String.format(Locale.ROOT,
                    "    %-14s %-30s %7s %7d%n", category, model, mean(s.mean()), s.graded()))));
            out.append('\n');
        }
        for (ReviewFile.Verdicts v : verdicts) {
            out.append(ShowResult.pairwise(v)).append('\n');
            List<LengthControlledView> views = lengthControlled(v);
            views.forEach(view -> out.append(view.line()));
            out.append('\n');
        }
        if (!setups.isEmpty()) {
            out.append(SetupSummary.text(setupSummaries()));
        }
        return out.toString();
    }

    private LengthControlledView lengthControlled(PairwiseComparison c) {
        return LengthControlledView.ofQuestions(c.modelA(), c.modelB(), c.preferences(), lengths);
    }

    /** One view per pair of models in the file, in the file's order of first appearance. */
    private List<LengthControlledView> lengthControlled(ReviewFile.Verdicts file) {
        Map<List<String>, List<LengthControlledView.Judged>> byPair = new java.util.LinkedHashMap<>();
        for (PairVerdict v : file.verdicts()) {
            if (!v.error()) {
                byPair.computeIfAbsent(List.of(v.model1(), v.model2()), pair -> new ArrayList<>())
                        .add(new LengthControlledView.Judged(v.preference(), lengths.length(v.model1(), v.questionKey(), v.turn()),
                                lengths.length(v.model2(), v.questionKey(), v.turn())));
            }
        }
        List<LengthControlledView> views = new ArrayList<>();
        byPair.forEach((pair, judged) -> {
            LengthControlledView view = LengthControlledView.of(pair.get(0), pair.get(1), judged);
            if (view != null) {
                views.add(view);
            }
        });
        return views;
    }

    /** Each setup's comparisons: the pairwise review files among its files. */
    private List<SetupSummary> setupSummaries() {
        List<SetupSummary> summaries = new ArrayList<>();
        for (Setup setup : setups) {
            summaries.add(new SetupSummary(setup.label(),
                    comparisons.stream().filter(c -> setup.reviews().contains(c.file())).toList()));
        }
        return summaries;
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
            c.recoveredQuestions().forEach(node.putArray("lenient_questions")::add);
            LengthControlledView lc = lengthControlled(c);
            if (lc != null) {
                node.set("length_controlled", lc.json());
            }
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
            g.recovered().forEach(node.putArray("lenient_judgments")::add);
        }
        ArrayNode pairwiseVerdicts = root.putArray("pairwise_verdicts");
        for (ReviewFile.Verdicts v : verdicts) {
            ObjectNode node = pairwiseVerdicts.addObject();
            node.put("file", v.file().toString());
            node.put("show_result", ShowResult.pairwise(v));
            ArrayNode views = node.putArray("length_controlled");
            lengthControlled(v).forEach(view -> views.add(view.json()));
        }
        if (!setups.isEmpty()) {
            root.set("setups", SetupSummary.json(setupSummaries()));
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
            page.preformatted(ShowResult.single(g.source()));
            charts.add(singleChart(g));
        }
        for (ReviewFile.Verdicts v : verdicts) {
            page.heading("Pairwise judgments: " + v.file().getFileName());
            page.preformatted(ShowResult.pairwise(v));
            List<LengthControlledView> views = lengthControlled(v);
            if (!views.isEmpty()) {
                charts.add(lengthControlledChart(views));
            }
        }
        if (!setups.isEmpty()) {
            page.heading("Setups");
            page.preformatted(SetupSummary.text(setupSummaries()));
            charts.add(SetupSummary.chart(setupSummaries()));
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

    private static Chart lengthControlledChart(List<LengthControlledView> views) {
        List<String> labels = views.stream().map(v -> v.modelA() + " vs " + v.modelB()).toList();
        double[] raw = views.stream().mapToDouble(v -> 100 * v.fit().winRate()).toArray();
        double[] controlled = views.stream().mapToDouble(v -> 100 * v.fit().lengthControlledWinRate()).toArray();
        return new BarChart("Win rate of A, raw and length-controlled (%)", "win rate (%)", "", labels,
                List.of(new Series("win rate (ties half)", raw), new Series("length-controlled", controlled)), true);
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
