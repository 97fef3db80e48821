package org.instruct4j.spark.cli;

import picocli.CommandLine.Command;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Corpus analysis as Spark jobs: the analysis module's own code, run in Spark partitions.",
        subcommands = {SparkVerbsCommand.class})
final class SparkAnalyzeCommand {}
