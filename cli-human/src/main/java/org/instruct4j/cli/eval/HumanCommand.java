package org.instruct4j.cli.eval;

import picocli.CommandLine.Command;

@Command(name = "human", mixinStandardHelpOptions = true,
        description = {"Human evaluation as in GPT-4-LLM: a web app for Helpfulness, Honesty and Harmlessness.",
            "Annotators compare two anonymised answers. pairs builds the items, admin adds annotators, serve runs the app, "
                + "export and results read the judgments."},
        subcommands = {HumanPairsCommand.class, HumanServeCommand.class, HumanAdminCommand.class, HumanExportCommand.class,
            HumanResultsCommand.class})
final class HumanCommand {}
