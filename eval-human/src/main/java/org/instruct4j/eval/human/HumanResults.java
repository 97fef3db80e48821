package org.instruct4j.eval.human;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.instruct4j.core.io.Json;
import org.instruct4j.report.BarChart;
import org.instruct4j.report.HtmlReport;
import org.instruct4j.report.PngCharts;
import org.instruct4j.report.Series;

/**
 * Human judgments summed up as GPT-4-LLM's Figure 3: for each pair of models, per criterion, how often model A's
 * answer was judged better, how often it was a tie, how often model B's was better.
 */
public final class HumanResults {
    /** Verdict counts on one criterion. */
    public record Counts(int winsA, int ties, int winsB) {
        static final Counts NONE = new Counts(0, 0, 0);

        Counts plus(Verdict verdict) {
            return new Counts(winsA + (verdict == Verdict.A ? 1 : 0), ties + (verdict == Verdict.TIE ? 1 : 0),
                    winsB + (verdict == Verdict.B ? 1 : 0));
        }

        public int total() {
            return winsA + ties + winsB;
        }

        double share(int count) {
            return total() == 0 ? 0 : 100.0 * count / total();
        }
    }

    /** The judgments of one model pair. */
    public record Comparison(String modelA, String modelB, int judgments, int annotators, Map<Criterion, Counts> counts) {}

    private final List<Comparison> comparisons;

    private HumanResults(List<Comparison> comparisons) {
        this.comparisons = comparisons;
    }

    public static HumanResults of(List<AnnotationStore.Judgment> judgments) {
        Map<List<String>, List<AnnotationStore.Judgment>> byModels = new LinkedHashMap<>();
        for (AnnotationStore.Judgment j : judgments) {
            byModels.computeIfAbsent(List.of(j.pair().modelA(), j.pair().modelB()), k -> new ArrayList<>()).add(j);
        }
        List<Comparison> comparisons = new ArrayList<>();
        byModels.forEach((models, list) -> {
            Map<Criterion, Counts> counts = new EnumMap<>(Criterion.class);
            Set<String> annotators = new HashSet<>();
            for (AnnotationStore.Judgment j : list) {
                annotators.add(j.annotator());
                for (Criterion criterion : Criterion.values()) {
                    counts.compute(criterion, (k, sum) -> (sum == null ? Counts.NONE : sum).plus(j.on(criterion)));
                }
            }
            comparisons.add(new Comparison(models.get(0), models.get(1), list.size(), annotators.size(), counts));
        });
        return new HumanResults(comparisons);
    }

    public List<Comparison> comparisons() {
        return comparisons;
    }

    public String text() {
        if (comparisons.isEmpty()) {
            return "no judgments yet\n";
        }
        StringBuilder out = new StringBuilder();
        for (Comparison c : comparisons) {
            out.append(String.format(Locale.ROOT, "%s (A) vs %s (B): %d judgments by %d annotators%n", c.modelA(), c.modelB(),
                    c.judgments(), c.annotators()));
            out.append(String.format(Locale.ROOT, "  %-13s %15s %15s %15s%n", "criterion", "A better", "tie", "B better"));
            c.counts().forEach((criterion, n) -> out.append(String.format(Locale.ROOT, "  %-13s %15s %15s %15s%n",
                    criterion.title(), cell(n.winsA(), n), cell(n.ties(), n), cell(n.winsB(), n))));
            out.append('\n');
        }
        return out.toString();
    }

    private static String cell(int count, Counts counts) {
        return String.format(Locale.ROOT, "%d (%.1f%%)", count, counts.share(count));
    }

    public ObjectNode json() {
        ObjectNode root = Json.object();
        var array = root.putArray("comparisons");
        for (Comparison c : comparisons) {
            ObjectNode node = array.addObject();
            node.put("model_a", c.modelA()).put("model_b", c.modelB()).put("judgments", c.judgments()).put("annotators", c.annotators());
            c.counts().forEach((criterion, n) -> node.putObject(criterion.key()).put("a_better", n.winsA()).put("tie", n.ties())
                    .put("b_better", n.winsB()));
        }
        return root;
    }

    /** An HTML page with one chart per model pair, like the paper's Figure 3, and a PNG of each beside it. */
    public void writeHtml(Path html) {
        HtmlReport page = new HtmlReport("Human evaluation");
        page.paragraph("Share of judgments per criterion (Helpfulness, Honesty, Harmlessness) in which model A's answer was "
                + "better, the answers were tied, or model B's answer was better.");
        String stem = html.getFileName().toString().replaceFirst("\\.html?$", "");
        for (int i = 0; i < comparisons.size(); i++) {
            Comparison c = comparisons.get(i);
            List<String> criteria = c.counts().keySet().stream().map(Criterion::title).toList();
            List<Counts> counts = List.copyOf(c.counts().values());
            BarChart chart = new BarChart(c.modelA() + " vs " + c.modelB() + " (" + c.judgments() + " judgments)", "% of judgments", "",
                    criteria, List.of(
                            new Series(c.modelA() + " better", counts.stream().mapToDouble(n -> n.share(n.winsA())).toArray()),
                            new Series("tie", counts.stream().mapToDouble(n -> n.share(n.ties())).toArray()),
                            new Series(c.modelB() + " better", counts.stream().mapToDouble(n -> n.share(n.winsB())).toArray())),
                    true);
            String png = stem + "-" + (i + 1) + ".png";
            PngCharts.write(chart, html.resolveSibling(png));
            page.heading(c.modelA() + " vs " + c.modelB());
            page.chart(chart, png);
        }
        if (comparisons.isEmpty()) {
            page.paragraph("No judgments yet.");
        }
        page.write(html);
    }
}
