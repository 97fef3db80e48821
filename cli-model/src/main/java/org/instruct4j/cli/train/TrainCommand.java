package org.instruct4j.cli.train;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code instruct4j train}: fine-tuning recipes and their curves. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Fine-tune models (SFT), train reward models, optimise preferences (DPO), plot their training.",
        subcommands = {SftCommand.class, RewardCommand.class, DpoCommand.class, PlotCommand.class})
public final class TrainCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
