package org.instruct4j.spark.cli;

import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Teacher data generation as Spark jobs: the generate commands' own tasks, run in Spark partitions.",
        subcommands = {SparkAnswersCommand.class, SparkTranslateCommand.class, SparkRatingsCommand.class, SparkUnnaturalCommand.class})
final class SparkGenerateCommand {}
