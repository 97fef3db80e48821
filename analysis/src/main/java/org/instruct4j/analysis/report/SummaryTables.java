package org.instruct4j.analysis.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.instruct4j.analysis.lengths.LengthStats;
import org.instruct4j.analysis.scores.ScoreDistribution;
import org.instruct4j.analysis.verbs.VerbNounCounts;

/** The numbers behind each chart, as tables for the terminal and the HTML report. */
public final class SummaryTables {
    private SummaryTables() {}

    public static Table verbs(Map<String, VerbNounCounts> datasets) {
        List<List<String>> rows = new ArrayList<>();
        datasets.forEach((name, counts) -> rows.add(List.of(name, count(counts.rows()), count(counts.verbRoots()),
                count(counts.pairRows()), count(counts.uniquePairs()), count(counts.uniqueVerbs()))));
        return new Table(List.of("dataset", "rows", "verb root", "verb-noun pair", "unique pairs", "unique verbs"), rows);
    }

    public static Table topPairs(VerbNounCounts counts, int top) {
        List<List<String>> rows = new ArrayList<>();
        List<VerbNounCounts.PairCount> pairs = counts.top(top);
        for (int i = 0; i < pairs.size(); i++) {
            VerbNounCounts.PairCount pair = pairs.get(i);
            rows.add(List.of(Integer.toString(i + 1), pair.verb(), pair.noun(), count(pair.count()),
                    decimal(counts.rows() == 0 ? 0 : 100.0 * pair.count() / counts.rows(), 2)));
        }
        return new Table(List.of("#", "verb", "noun", "count", "% of rows"), rows);
    }

    public static Table sunburst(VerbNounCounts counts) {
        List<List<String>> rows = new ArrayList<>();
        for (VerbNounCounts.VerbSlice slice : counts.sunburst()) {
            List<String> nouns = slice.nouns().stream().map(n -> n.noun() + " " + n.count()).toList();
            rows.add(List.of(slice.verb(), count(slice.count()), String.join(", ", nouns)));
        }
        return new Table(List.of("verb", "count", "nouns"), rows);
    }

    public static Table lengths(List<LengthStats> datasets) {
        List<List<String>> rows = new ArrayList<>();
        for (LengthStats s : datasets) {
            rows.add(List.of(s.name(), count(s.rows()), decimal(s.mean(), 1), decimal(s.min(), 0), decimal(s.p25(), 1),
                    decimal(s.median(), 1), decimal(s.p75(), 1), decimal(s.p90(), 1), decimal(s.p99(), 1),
                    decimal(s.max(), 0), count(s.atLeast(AnalysisCharts.LENGTH_MAX))));
        }
        return new Table(List.of("dataset", "rows", "mean", "min", "p25", "median", "p75", "p90", "p99", "max",
                ">= " + (long) AnalysisCharts.LENGTH_MAX), rows);
    }

    public static Table scores(ScoreDistribution distribution) {
        List<String> header = new ArrayList<>(List.of("source", "n", "mean"));
        distribution.labels().forEach(label -> header.add(label + " (%)"));
        List<List<String>> rows = new ArrayList<>();
        for (ScoreDistribution.SourceCounts source : distribution.sources()) {
            List<String> row = new ArrayList<>(List.of(source.source(), count(source.n()), decimal(source.mean(), 2)));
            for (int i = 0; i < distribution.scores().size(); i++) {
                row.add(decimal(source.percent(i), 1));
            }
            rows.add(row);
        }
        return new Table(header, rows);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String decimal(double value, int places) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,." + places + "f", value);
    }
}
