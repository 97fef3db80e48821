package org.instruct4j.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code instruct4j spark}: the big stages as Apache Spark jobs, on a local master or, through spark-submit and the
 * job jar ({@link SparkMain}), on a cluster.
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = {"The big stages as Apache Spark jobs that run the stages' own code, on local[2] or a cluster.",
            "Local by default; on a cluster through spark-submit and the job jar spark/target/instruct4j-spark.jar "
                + "(see README)."},
        subcommands = {SparkGenerateCommand.class, SparkJudgeCommand.class, SparkRougeCommand.class, SparkAnalyzeCommand.class})
public final class SparkCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
