package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.eval.report.JudgeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Summarises judge reviews as GPT-4-LLM's Figure 4 (relative scores, wins, ties, losses).",
            "Per review file (one comparison of model A with B)",
            "the relative score (A's score sum / B's), wins, ties and losses, per category, and for --swap runs both orders,",
            "their average and how often the verdict flipped. Single-answer grades: mean score per model.",
            "Prints a table; --output writes an HTML page with charts and a PNG per chart."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--reviews", required = true, paramLabel = "R.jsonl", description = "Reviews (eval judge output or FastChat's review files); repeat for several.")
    List<Path> reviews;

    @Reads
    @Option(names = "--questions", paramLabel = "Q.jsonl", description = "The questions, for the per-category breakdown of reviews that do not name their category.")
    Path questions;

    @Reads
    @Option(names = "--answers", paramLabel = "A.jsonl", description = "Answer files, to name the models of reviews that carry only answer ids.")
    List<Path> answers = List.of();

    @Writes(beside = Beside.CHARTS)
    @Option(names = "--output", paramLabel = "report.html", description = "HTML page (self-contained); PNGs are written beside it.")
    Path output;

    @Writes
    @Option(names = "--json", paramLabel = "summary.json", description = "The numbers as JSON.")
    Path json;

    @Override
    public Integer call() {
        JudgeReport report = JudgeReport.load(reviews, questions, answers);
        spec.commandLine().getOut().print(report.text());
        spec.commandLine().getOut().flush();
        if (output != null) {
            report.writeHtml(output);
        }
        if (json != null) {
            report.writeJson(json);
        }
        return 0;
    }
}
