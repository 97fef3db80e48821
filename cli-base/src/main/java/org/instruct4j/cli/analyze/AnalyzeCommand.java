package org.instruct4j.cli.analyze;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code instruct4j analyze}: what a dataset looks like (the paper's Figures 1 and 2). */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyse datasets: verb-noun structure, output lengths, teacher scores, HTML/PNG report.")
public final class AnalyzeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
