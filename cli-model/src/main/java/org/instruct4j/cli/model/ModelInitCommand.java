package org.instruct4j.cli.model;

import java.nio.file.Path;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code instruct4j model init}: a randomly initialised model written as a normal model directory. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a randomly initialised model directory (for tests, benchmarks, from-scratch training).")
public final class ModelInitCommand implements Runnable {
    @Option(names = "--arch", defaultValue = "llama", description = "Architecture: llama (default).")
    String arch;

    @Option(names = "--preset", required = true, paramLabel = "tiny|small|base",
            description = "Size: tiny = stories260K shape, small = stories15M, base = stories110M.")
    String preset;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
            description = "Tokenizer file or directory; it sets the vocabulary size and is copied into the model.")
    Path tokenizer;

    @Writes(FileRoles.Kind.DIRECTORY)
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Model directory to write.")
    Path output;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "fp32|bf16", description = "Stored precision (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--seed", defaultValue = "0", description = "Initialisation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (!arch.equals("llama")) {
            throw new BadInputException("--arch " + arch + " is not supported by model init: use llama");
        }
        Tokenizer vocabulary = Tokenizers.load(tokenizer);
        LlamaConfig config = LlamaConfig.preset(preset, vocabulary.vocabSize());
        Llama model = Architectures.randomLlama(config, Precision.parse(dtype), Tensors.defaultDevice(), seed);
        ModelDirectory.save(model, output, tokenizer);
        spec.commandLine().getOut().printf("wrote %s: llama %s, %d layers, dim %d, vocab %d%n", output, preset,
                config.numHiddenLayers(), config.hiddenSize(), config.vocabSize());
    }
}
