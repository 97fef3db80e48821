package org.instruct4j.analysis.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.instruct4j.analysis.lengths.LengthStats;
import org.instruct4j.analysis.scores.ScoreDistribution;
import org.instruct4j.analysis.scores.SourceScores;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.report.Chart;
import org.instruct4j.report.HtmlReport;
import org.instruct4j.report.PngCharts;

/**
 * One self-contained HTML page with the paper's Figure 1 (verb-noun sunbursts, top pairs side by side, length
 * histogram) and Figure 2 (score distributions) for the given datasets, plus a PNG of every chart beside it, named
 * after the page ({@code report.html} gets {@code report-top-pairs.png}, ...). Every file is written atomically.
 */
public final class AnalysisReport {
    private final Path html;
    private final HtmlReport page = new HtmlReport("Dataset analysis");
    private final List<Path> written = new ArrayList<>();

    private AnalysisReport(Path html) {
        this.html = html;
    }

    /** Writes the page and its PNGs; {@code scores} may be null. Returns the files written, the page last. */
    public static List<Path> write(Path html, List<DatasetAnalysis> datasets, SourceScores scores, int top) {
        AnalysisReport report = new AnalysisReport(html);
        report.verbs(datasets, top);
        report.lengths(datasets);
        if (scores != null) {
            report.scores(scores);
        }
        report.page.write(html);
        report.written.add(html);
        return List.copyOf(report.written);
    }

    private void verbs(List<DatasetAnalysis> datasets, int top) {
        page.heading("Verb-noun structure");
        List<String> inputs = datasets.stream().map(d -> d.name() + ": " + d.texts().file() + ", field \""
                + d.texts().field() + "\"").toList();
        page.paragraph("Inputs: " + String.join("; ", inputs) + ".");
        page.paragraph("For each row, the first sentence of the text is parsed (Stanford CoreNLP, Universal Dependencies);"
                + " when its root is a verb, the verb's lemma and the lemma of its first direct-object noun form a pair,"
                + " as in Figure 1 of \"Instruction Tuning with GPT-4\".");
        Map<String, VerbNounCounts> counts = new LinkedHashMap<>();
        datasets.forEach(d -> counts.put(d.name(), d.verbs()));
        table(SummaryTables.verbs(counts));
        for (DatasetAnalysis dataset : datasets) {
            if (dataset.verbs().sunburst().isEmpty()) {
                page.paragraph("No verb-noun pair of " + dataset.name() + " occurs more than "
                        + VerbNounCounts.SUNBURST_MIN_COUNT_EXCLUSIVE + " times among its top verbs, so it has no sunburst"
                        + " (the paper's threshold was set for 52,000 rows; this dataset has " + dataset.verbs().rows() + ").");
            } else {
                chart(AnalysisCharts.sunburst(dataset.name(), dataset.verbs()), "sunburst-" + slug(dataset.name()));
            }
        }
        chart(AnalysisCharts.topPairs(counts, top), "top-pairs");
    }

    private void lengths(List<DatasetAnalysis> datasets) {
        page.heading("Output length");
        List<LengthStats> stats = datasets.stream().map(DatasetAnalysis::lengths).toList();
        page.paragraph("Words per text (whitespace-separated). The histogram covers 0-"
                + (long) AnalysisCharts.LENGTH_MAX + " words in " + AnalysisCharts.LENGTH_BINS
                + " bins on a log scale; the last column counts the longer texts it leaves out.");
        table(SummaryTables.lengths(stats));
        chart(AnalysisCharts.lengths(stats), "lengths");
    }

    private void scores(SourceScores scores) {
        page.heading("Scores per response source");
        ScoreDistribution distribution = ScoreDistribution.of(scores);
        page.paragraph("The teacher's 1-10 scores of each model's responses, from " + scores.file()
                + " (Figure 2 of the paper). Every score value given is shown, including half points and 0.");
        table(SummaryTables.scores(distribution));
        chart(AnalysisCharts.scores(distribution), "scores");
    }

    private void table(Table table) {
        page.table(table.header(), table.rows());
    }

    private void chart(Chart chart, String suffix) {
        String stem = html.getFileName().toString().replaceFirst("(?i)\\.html?$", "");
        Path png = html.resolveSibling(stem + "-" + suffix + ".png");
        PngCharts.write(chart, png);
        written.add(png);
        page.chart(chart, png.getFileName().toString());
    }

    /** A file-name-safe form of a dataset name. */
    static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "dataset" : slug;
    }
}
