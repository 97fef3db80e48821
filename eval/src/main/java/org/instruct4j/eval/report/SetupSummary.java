package org.instruct4j.eval.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.instruct4j.core.io.Json;
import org.instruct4j.report.BarChart;
import org.instruct4j.report.Chart;
import org.instruct4j.report.Series;

/**
 * The pairwise comparisons of one labelled setup, summed up side by side with the other setups' as GPT-4-LLM's Figure 5
 * shows its Chinese evaluation: per setup and model, the relative score against the reference (A's score sum over B's,
 * both orders when judged both ways).
 */
record SetupSummary(String label, List<PairwiseComparison> comparisons) {

    static String text(List<SetupSummary> setups) {
        int label = "setup".length();
        int modelA = "model A".length();
        int modelB = "model B (reference)".length();
        for (SetupSummary setup : setups) {
            label = Math.max(label, setup.label().length());
            for (PairwiseComparison c : setup.comparisons()) {
                modelA = Math.max(modelA, c.modelA().length());
                modelB = Math.max(modelB, c.modelB().length());
            }
        }
        String row = "  %-" + label + "s  %-" + modelA + "s  %-" + modelB + "s %7s %9s %9s %9s%n";
        StringBuilder out = new StringBuilder("setups (relative score = A's score sum / B's, both orders together):\n");
        out.append(String.format(Locale.ROOT, row, "setup", "model A", "model B (reference)", "judged", "A sum", "B sum", "relative"));
        for (SetupSummary setup : setups) {
            if (setup.comparisons().isEmpty()) {
                out.append(String.format(Locale.ROOT, "  %s: no pairwise review files%n", setup.label()));
            }
            for (PairwiseComparison c : setup.comparisons()) {
                Outcome o = c.combined();
                out.append(String.format(Locale.ROOT, row, setup.label(), c.modelA(), c.modelB(), o.judged(),
                        JudgeReport.decimal(o.sumA()), JudgeReport.decimal(o.sumB()), JudgeReport.percent(o.relative())));
            }
        }
        return out.append('\n').toString();
    }

    static ArrayNode json(List<SetupSummary> setups) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (SetupSummary setup : setups) {
            ObjectNode node = array.addObject().put("label", setup.label());
            ArrayNode rows = node.putArray("comparisons");
            for (PairwiseComparison c : setup.comparisons()) {
                Outcome o = c.combined();
                ObjectNode row = rows.addObject().put("file", c.file().toString()).put("model_a", c.modelA()).put("model_b", c.modelB())
                        .put("judged", o.judged()).put("sum_a", o.sumA()).put("sum_b", o.sumB());
                if (!Double.isNaN(o.relative())) {
                    row.put("relative", o.relative());
                }
            }
        }
        return array;
    }

    /** One group of bars per model A, one bar per setup: the relative score in %. */
    static Chart chart(List<SetupSummary> setups) {
        Set<String> models = new LinkedHashSet<>();
        setups.forEach(s -> s.comparisons().forEach(c -> models.add(c.modelA())));
        List<String> labels = new ArrayList<>(models);
        List<Series> series = new ArrayList<>();
        for (SetupSummary setup : setups) {
            double[] values = new double[labels.size()];
            for (PairwiseComparison c : setup.comparisons()) {
                double relative = c.combined().relative();
                values[labels.indexOf(c.modelA())] = Double.isNaN(relative) ? 0 : 100 * relative;
            }
            series.add(new Series(setup.label(), values));
        }
        return new BarChart("Relative score against the reference, per setup (%)", "relative score (%)", "", labels, series, true);
    }
}
