package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.eval.judge.ScoreParse;
import org.instruct4j.eval.report.JudgeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Summarises judge reviews as GPT-4-LLM's Figure 4 and FastChat's show_result.",
            "Vicuna reviews (one comparison of model A with B per file): the relative score (A's score sum / B's), wins,",
            "ties and losses, per category, and for --swap runs both orders, their average and how often the verdict flipped.",
            "MT-bench judgments: show_result's tables (mean score per turn and overall; wins, losses, ties and win rates).",
            "Pairwise results with --answers of both models get AlpacaEval 2's length-controlled win rate. --setup groups",
            "review files into labelled setups shown side by side (the paper's Figure 5, Chinese evaluation).",
            "Prints a table; --output writes an HTML page with charts and a PNG per chart."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--reviews", paramLabel = "R.jsonl", description = "Reviews or judgments (eval judge output or FastChat's files); repeat for several.")
    List<Path> reviews = List.of();

    @Reads
    @Option(names = "--questions", paramLabel = "Q.jsonl", description = "The questions, for the per-category breakdown of reviews that do not name their category.")
    Path questions;

    @Reads
    @Option(names = "--answers", paramLabel = "A.jsonl",
            description = "Answer files: they name the models of reviews that carry only answer ids and give the answer lengths of the length-controlled win rate.")
    List<Path> answers = List.of();

    @Option(names = "--rescore", paramLabel = "fastchat|lenient",
            description = "Read the scores of Vicuna reviews again from their text with this parser instead of the stored scores "
                    + "(FastChat's published reviews were fixed by hand where its parser read nothing).")
    String rescore;

    @Option(names = "--setup", paramLabel = "LABEL=R.jsonl[,R2.jsonl...]", mapFallbackValue = "",
            description = "Review files judged in one setup, summed up side by side with the other setups' (repeat, in order).")
    Map<String, String> setups = new LinkedHashMap<>();

    @Writes(beside = Beside.CHARTS)
    @Option(names = "--output", paramLabel = "report.html", description = "HTML page (self-contained); PNGs are written beside it.")
    Path output;

    @Writes
    @Option(names = "--json", paramLabel = "summary.json", description = "The numbers as JSON.")
    Path json;

    @Override
    public Integer call() {
        if (reviews.isEmpty() && setups.isEmpty()) {
            throw new BadInputException("give the review files with --reviews or --setup");
        }
        List<JudgeReport.Setup> setupList = new ArrayList<>();
        setups.forEach((label, files) -> {
            if (files.isBlank()) {
                throw new BadInputException("--setup " + label + ": give the review files as LABEL=R1.jsonl,R2.jsonl");
            }
            setupList.add(new JudgeReport.Setup(label, Arrays.stream(files.split(",")).map(String::strip).map(Path::of).toList()));
        });
        JudgeReport report = JudgeReport.load(reviews, questions, answers, rescore == null ? null : ScoreParse.parse(rescore), setupList);
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
