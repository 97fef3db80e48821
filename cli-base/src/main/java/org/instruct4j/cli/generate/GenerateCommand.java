package org.instruct4j.cli.generate;

import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Teacher data generation: answers, translations, ratings, Unnatural Instructions answers, new instructions.")
public final class GenerateCommand {}
