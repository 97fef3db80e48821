package org.instruct4j.spark.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.instruct4j.analysis.report.SummaryTables;
import org.instruct4j.cli.analyze.TopOption;
import org.instruct4j.spark.SparkSessions;
import org.instruct4j.spark.analyze.VerbsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verbs", mixinStandardHelpOptions = true,
        description = {"analyze verbs as a Spark job: the verb-noun structure of every row's text.",
            "For each row's text, the first sentence; if its dependency root is a verb,",
            "the verb's lemma and its first direct-object noun (Stanford CoreNLP, loaded once per executor). Per-row results",
            "{id, verb, noun} replace DIR's part files; the counts (totals, top pairs, sunburst, every pair) go to",
            "DIR.result.json in analyze verbs' --output format, and the unique and top pairs are printed."})
final class SparkVerbsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TotalledIo io;

    @Option(names = "--field", paramLabel = "FIELD",
            description = "Text field of each row, e.g. output or instruction (default: the first of output, text, response that the rows have).")
    String field;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the dataset in the result (default: the input's file name).")
    String name;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N input rows (0 = all).")
    long limit;

    @Mixin
    TopOption topPairs;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        int top = topPairs.value();
        try (SparkSessions.Session session = sparkOptions.open("instruct4j analyze verbs")) {
            var request = new VerbsJob.Request(io.input, io.output, sparkOptions.format(), sparkOptions.partitions(session.spark()),
                    field, name, limit, top, io.quiet);
            VerbsJob.Outcome outcome = VerbsJob.run(session.spark(), request);
            PrintWriter out = spec.commandLine().getOut();
            out.println(SummaryTables.verbs(Map.of(outcome.dataset().name(), outcome.counts())).toText());
            out.printf("Top %d pairs:%n%s%n", top, SummaryTables.topPairs(outcome.counts(), top).toText());
            out.flush();
            spec.commandLine().getErr().printf("verbs: rows -> %s, counts -> %s%n", outcome.paths().rows(), outcome.result());
            return 0;
        }
    }
}
