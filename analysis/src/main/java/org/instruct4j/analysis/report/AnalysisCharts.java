package org.instruct4j.analysis.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.analysis.lengths.LengthStats;
import org.instruct4j.analysis.scores.ScoreDistribution;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.report.BarChart;
import org.instruct4j.report.BarPanels;
import org.instruct4j.report.Histogram;
import org.instruct4j.report.Series;
import org.instruct4j.report.Sunburst;

/** The paper's Figure 1 and 2 as charts of the report module, from the analysis results. */
public final class AnalysisCharts {
    /** Figure 1(d): output lengths in words, 0-512 in 100 bins, log y. */
    public static final double LENGTH_MAX = 512;
    public static final int LENGTH_BINS = 100;

    private AnalysisCharts() {}

    /** Figure 1(a)/(b): top verbs (inner ring) and their top nouns (outer ring). */
    public static Sunburst sunburst(String dataset, VerbNounCounts counts) {
        List<Sunburst.Node> verbs = new ArrayList<>();
        for (VerbNounCounts.VerbSlice slice : counts.sunburst()) {
            List<Sunburst.Node> nouns = slice.nouns().stream()
                    .map(pair -> Sunburst.Node.leaf(pair.noun(), pair.count())).toList();
            verbs.add(new Sunburst.Node(slice.verb(), slice.count(), nouns));
        }
        return new Sunburst("Verb-noun structure of " + dataset + " (top " + VerbNounCounts.SUNBURST_VERBS
                + " verbs x top " + VerbNounCounts.SUNBURST_NOUNS_PER_VERB + " nouns, count > "
                + VerbNounCounts.SUNBURST_MIN_COUNT_EXCLUSIVE + ")", verbs);
    }

    /**
     * Figure 1(c): each dataset's own top pairs, side by side, as a percentage of its rows so that datasets of
     * different sizes compare on one scale.
     */
    public static BarPanels topPairs(Map<String, VerbNounCounts> datasets, int top) {
        List<BarPanels.Panel> panels = new ArrayList<>();
        datasets.forEach((name, counts) -> {
            List<VerbNounCounts.PairCount> pairs = counts.top(top);
            double[] percent = new double[pairs.size()];
            for (int i = 0; i < percent.length; i++) {
                percent[i] = counts.rows() == 0 ? 0 : 100.0 * pairs.get(i).count() / counts.rows();
            }
            panels.add(new BarPanels.Panel(name, pairs.stream().map(p -> p.verb() + " " + p.noun()).toList(), percent));
        });
        return new BarPanels("Top " + top + " verb-noun pairs", "% of rows", panels);
    }

    /** Figure 1(d). */
    public static Histogram lengths(List<LengthStats> datasets) {
        Map<String, double[]> values = new LinkedHashMap<>();
        datasets.forEach(stats -> values.put(stats.name(), stats.words()));
        return Histogram.of("Output length (words)", "words", "rows", 0, LENGTH_MAX, LENGTH_BINS, values, true);
    }

    /** Figure 2: the share of each score per response source. */
    public static BarChart scores(ScoreDistribution distribution) {
        List<Series> series = distribution.sources().stream().map(source -> {
            double[] percent = new double[distribution.scores().size()];
            for (int i = 0; i < percent.length; i++) {
                percent[i] = source.percent(i);
            }
            return new Series(source.source(), percent);
        }).toList();
        return new BarChart("Scores given by the teacher, per response source", "score", "% of the source's responses",
                distribution.labels(), series, false);
    }
}
