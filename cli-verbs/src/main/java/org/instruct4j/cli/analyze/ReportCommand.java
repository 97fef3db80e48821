package org.instruct4j.cli.analyze;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.lengths.LengthStats;
import org.instruct4j.analysis.report.AnalysisReport;
import org.instruct4j.analysis.report.DatasetAnalysis;
import org.instruct4j.analysis.scores.SourceScores;
import org.instruct4j.analysis.corenlp.VerbNounExtractor;
import org.instruct4j.analysis.verbs.VerbNounRun;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"HTML report with the paper's Figures 1 and 2, and a PNG of every chart.",
            "One self-contained page (works offline) with the verb-noun sunburst of each dataset, their top pairs "
                + "side by side, the length histogram and, with --scores, the score distributions; each chart is "
                + "also written as a PNG beside the page (REPORT-top-pairs.png, ...)."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatasetOptions datasets;

    @Mixin
    ParserOptions parser;

    @Reads
    @Option(names = "--scores", paramLabel = "FILE", description = "Comparison data v2 or a score-lists file for Figure 2.")
    Path scores;

    @Mixin
    TopOption topPairs;

    @Writes(beside = Beside.CHARTS)
    @Option(names = "--output", required = true, paramLabel = "report.html", description = "The HTML page; PNGs go beside it.")
    Path output;

    @Override
    public Integer call() {
        int top = topPairs.value();
        List<DatasetTexts> inputs = datasets.read();
        SourceScores scoreData = scores == null ? null : SourceScores.read(scores);
        PrintWriter err = spec.commandLine().getErr();
        VerbNounExtractor extractor = parser.load(err);
        List<DatasetAnalysis> analyses = new ArrayList<>();
        for (DatasetTexts texts : inputs) {
            analyses.add(new DatasetAnalysis(texts, VerbNounRun.count(extractor::extract, texts, parser.threads, parser.quiet),
                    LengthStats.of(texts.name(), texts.texts())));
        }
        List<Path> written = AnalysisReport.write(output, analyses, scoreData, top);
        written.forEach(file -> err.println("wrote " + file));
        err.flush();
        return 0;
    }
}
