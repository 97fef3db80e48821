package org.instruct4j.cli;

import picocli.CommandLine.Option;

/**
 * How a command that runs a model runs it: one mixin, so every such command spells these options alike and a new
 * runtime option reaches all of them at once. Plain values only: this module does not link the model engine.
 */
public final class ModelRuntimeOptions {
    @Option(names = "--device", paramLabel = "auto|cpu|cuda|cuda:N", defaultValue = "auto",
            description = "Where the model runs (default: ${DEFAULT-VALUE}: the first GPU when libtorch has CUDA and sees a GPU, "
                    + "else the CPU). cuda and cuda:N need the GPU build of libtorch (README, \"GPU\").")
    String device = "auto";

    /** The device as written: auto, cpu, cuda or cuda:N. */
    public String device() {
        return device;
    }
}
