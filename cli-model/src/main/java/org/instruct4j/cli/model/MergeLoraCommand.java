package org.instruct4j.cli.model;

import java.nio.file.Path;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.lora.LoraMerge;
import org.instruct4j.model.lora.LoraSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code instruct4j model merge-lora}: fold a PEFT LoRA adapter into its base model. */
@Command(name = "merge-lora", mixinStandardHelpOptions = true,
        description = "Merge a LoRA adapter (PEFT layout: adapter_config.json + adapter_model.safetensors) into its base "
                + "and write a plain Hugging Face model directory.")
public final class MergeLoraCommand implements Runnable {
    @Reads(FileRoles.Kind.DIRECTORY)
    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "Adapter directory.")
    Path adapter;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--base", paramLabel = "DIR", description = "Base model directory or llama2.c .bin "
            + "(default: the adapter's base_model_name_or_path).")
    Path base;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer for a llama2.c base (default: the adapter directory's).")
    Path tokenizer;

    @Writes(FileRoles.Kind.DIRECTORY)
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Merged model directory to write.")
    Path output;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (!LoraSpec.isAdapterDirectory(adapter)) {
            throw new BadInputException("--adapter " + adapter + ": no " + LoraSpec.CONFIG_FILE + " found");
        }
        Path baseModel = base != null ? base : ModelDirectory.adapterBase(adapter);
        LoraMerge.write(baseModel, tokenizer, adapter, output);
        spec.commandLine().getOut().printf("merged %s into %s -> %s%n", adapter, baseModel, output);
    }
}
