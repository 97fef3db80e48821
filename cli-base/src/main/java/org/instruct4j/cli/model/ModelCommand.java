package org.instruct4j.cli.model;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code instruct4j model}: create and download model directories. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Create, download or merge model directories.")
public final class ModelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
