package org.instruct4j.cli.generate;

import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Teacher data generation: answers, translations, ratings, Unnatural Instructions answers, new instructions.",
        subcommands = {AnswersCommand.class, TranslateCommand.class, RatingsCommand.class, UnnaturalCommand.class,
            InstructionsCommand.class})
public final class GenerateCommand {}
