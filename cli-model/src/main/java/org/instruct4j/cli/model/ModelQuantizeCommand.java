package org.instruct4j.cli.model;

import java.nio.file.Path;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.engine.Quantization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code instruct4j model quantize}: write a model with 8-bit (or 4-bit) block-quantized weights, as GGUF. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize a Llama-family model's weights to GGUF's Q8_0 (or Q4_0) and write a model directory that "
                + "ships them: model.gguf, config.json, tokenizer files.",
            "The GGUF file carries the architecture and SentencePiece vocabulary, so llama.cpp runs it too; instruct4j "
                + "loads the directory like any model (--model DIR)."})
public final class ModelQuantizeCommand implements Runnable {
    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model directory, or a llama2.c .bin.")
    Path model;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c .bin checkpoint.")
    Path tokenizer;

    @Writes(FileRoles.Kind.DIRECTORY)
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to write.")
    Path output;

    @Option(names = "--type", defaultValue = "q8_0", paramLabel = "q8_0|q4_0",
            description = "Block format (default: ${DEFAULT-VALUE}; q8_0 keeps a held-out loss within 1%% of fp32, q4_0 halves its size again).")
    String type;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Quantization quantization;
        try {
            quantization = Quantization.parse(type);
        } catch (BadInputException e) {
            throw new BadInputException("--type: " + e.getMessage());
        }
        if (quantization == Quantization.NONE) {
            throw new BadInputException("--type: choose q8_0 or q4_0");
        }
        ModelDirectory.saveQuantized(model, tokenizer, output, quantization);
        spec.commandLine().getOut().printf("quantized %s (%s) -> %s%n", model, quantization, output);
    }
}
