package org.instruct4j.cli.analyze;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.analysis.report.SummaryTables;
import org.instruct4j.analysis.scores.ScoreDistribution;
import org.instruct4j.analysis.scores.SourceScores;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scores", mixinStandardHelpOptions = true,
        description = {"Distribution of the teacher's 1-10 scores per response source (the paper's Figure 2).",
            "Reads comparison data v2 ({user_input, responses_and_scores: [{response, score, source}]}) or a "
                + "{source: [scores]} file such as GPT-4-LLM's cmp_data_scores.json."})
final class ScoresCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Comparison data v2 (JSON or JSONL) or a score-lists file.")
    Path input;

    @Writes
    @Option(names = "--output", paramLabel = "scores.json", description = "Also write the counts as JSON (written atomically).")
    Path output;

    @Override
    public Integer call() {
        ScoreDistribution distribution = ScoreDistribution.of(SourceScores.read(input));
        spec.commandLine().getOut().print(SummaryTables.scores(distribution).toText());
        spec.commandLine().getOut().flush();
        if (output != null) {
            AtomicFiles.writeString(output, distribution.toJson().put("input", input.toString()).toPrettyString() + "\n");
        }
        return 0;
    }
}
