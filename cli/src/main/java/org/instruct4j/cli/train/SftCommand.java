package org.instruct4j.cli.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.train.config.ConfigKey;
import org.instruct4j.train.sft.SftConfig;
import org.instruct4j.train.sft.SftRecipe;
import org.instruct4j.train.sft.SftResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code instruct4j train sft}: supervised fine-tuning with the GPT-4-LLM recipe. */
@Command(name = "sft", mixinStandardHelpOptions = true,
        description = {"Supervised fine-tuning (full or LoRA) with the paper's recipe: Alpaca template, loss on the response "
                + "and EOS only, 3 epochs, lr 2e-5 cosine with 3%% warmup, global batch 64, clipping 1.0, AdamW.",
                "Settings come from the defaults, then --config FILE.yaml, then --key=value options (see below). "
                + "Kill it at any time: --resume continues from the last checkpoint with the same result."})
public final class SftCommand implements Runnable {
    @Option(names = "--base", paramLabel = "DIR", description = "Base model: Hugging Face directory, or llama2.c .bin with --tokenizer.")
    Path base;

    @Option(names = "--data", paramLabel = "FILE", description = "Alpaca JSON or JSONL: {instruction, input, output}.")
    Path data;

    @Option(names = "--output", paramLabel = "DIR", description = "Run directory: model, checkpoints/, metrics.jsonl.")
    Path output;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c base.")
    Path tokenizer;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "YAML settings (keys as below, snake_case or kebab-case).")
    Path config;

    @Unmatched
    List<String> settings = new ArrayList<>();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        List<String> overrides = new ArrayList<>(settings);
        addPath(overrides, "base", base);
        addPath(overrides, "data", data);
        addPath(overrides, "output", output);
        addPath(overrides, "tokenizer", tokenizer);
        SftConfig resolved = SftConfig.resolve(config, overrides);
        var err = spec.commandLine().getErr();
        SftResult result = SftRecipe.run(resolved, line -> {
            if (!resolved.quiet()) {
                err.println(line);
                err.flush();
            }
        });
        spec.commandLine().getOut().printf("%s %d/%d steps, loss %.4f%s -> %s%n", result.finished() ? "finished" : "stopped",
                result.steps(), result.totalSteps(), result.lastLoss(),
                Double.isNaN(result.lastEvalLoss()) ? "" : String.format(", eval loss %.4f", result.lastEvalLoss()), result.output());
        spec.commandLine().getOut().flush();
    }

    private static void addPath(List<String> overrides, String key, Path value) {
        if (value != null) {
            overrides.add("--" + key + "=" + value);
        }
    }

    /** The settings table shown at the end of --help. */
    public static String settingsHelp() {
        StringBuilder text = new StringBuilder("%nSettings, with their defaults (--key=value, or key: value in the YAML file):%n");
        for (ConfigKey key : SftConfig.KEYS) {
            String entry = String.format("  --%s=%s%n      %s%n", key.name(), ConfigKey.format(key.defaultValue()), key.description());
            text.append(entry.replace("%", "%%"));
        }
        return text.toString();
    }
}
