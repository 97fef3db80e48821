package org.instruct4j.spark.cli;

import java.util.concurrent.Callable;
import org.instruct4j.cli.eval.RougeOptions;
import org.instruct4j.eval.rouge.BucketScore;
import org.instruct4j.spark.SparkSessions;
import org.instruct4j.spark.rouge.RougeJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "rouge", mixinStandardHelpOptions = true,
        description = {"eval rouge as a Spark job: ROUGE-1/2/L of every row, overall and by reference length.",
            "F-measures of every row's prediction against its reference (Google",
            "rouge-score's scores), averaged over all rows and, with --by-length, per bucket of the reference's length in words",
            "(0-2, 3-5, 6-10, >10). Per-row scores {id, reference_words, length, rouge1, rouge2, rougeL} replace DIR's part files;",
            "the means go to DIR.result.json (GPT-4-LLM's result format) and are printed."})
final class SparkRougeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TotalledIo io;

    @Mixin
    RougeOptions rouge;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        try (SparkSessions.Session session = sparkOptions.open("instruct4j rouge")) {
            var request = new RougeJob.Request(io.input, io.output, sparkOptions.format(), sparkOptions.partitions(session.spark()),
                    rouge.predictionField(), rouge.referenceField(), rouge.stemmer(), rouge.tokenizer(), rouge.modelName(), rouge.byLength(), io.quiet);
            RougeJob.Outcome outcome = RougeJob.run(session.spark(), request);
            spec.commandLine().getOut().print(BucketScore.table(outcome.buckets()));
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().printf("rouge: scores -> %s, means -> %s%n", outcome.paths().rows(), outcome.result());
            return 0;
        }
    }
}
