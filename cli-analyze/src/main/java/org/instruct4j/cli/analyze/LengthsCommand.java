package org.instruct4j.cli.analyze;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.analysis.lengths.LengthStats;
import org.instruct4j.analysis.report.AnalysisJson;
import org.instruct4j.analysis.report.SummaryTables;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "lengths", mixinStandardHelpOptions = true,
        description = {"Output lengths in words per dataset (the paper's Figure 1(d)).",
            "Mean, median and percentiles of the words per text; --output adds the counts of the paper's histogram "
                + "(0-512 words, 100 bins), which `analyze report` draws on a log scale."})
final class LengthsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatasetOptions datasets;

    @Writes
    @Option(names = "--output", paramLabel = "lengths.json",
            description = "Also write the statistics and histogram counts as JSON (written atomically).")
    Path output;

    @Override
    public Integer call() {
        List<LengthStats> stats = datasets.read().stream().map(d -> LengthStats.of(d.name(), d.texts())).toList();
        spec.commandLine().getOut().print(SummaryTables.lengths(stats).toText());
        spec.commandLine().getOut().flush();
        if (output != null) {
            AtomicFiles.writeString(output, AnalysisJson.lengths(stats).toPrettyString() + "\n");
        }
        return 0;
    }
}
