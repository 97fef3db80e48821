package org.instruct4j.cli.model;

import java.util.List;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code instruct4j generate-text}: continue a prompt with a local model and print the continuation. */
@Command(name = "generate-text", mixinStandardHelpOptions = true,
        description = "Generate text with a local model (Hugging Face directory or llama2.c checkpoint).")
public final class GenerateTextCommand implements Runnable {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    EngineOptions engine;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT",
            description = "The user's message (with --prompt-format alpaca the instruction), or with raw the text to continue.")
    String prompt;

    @Option(names = "--input", paramLabel = "TEXT", defaultValue = "",
            description = "Input (context) for the instruction: Alpaca's input section, or after a blank line.")
    String input;

    @Option(names = "--prompt-format", paramLabel = "alpaca|chat|raw",
            description = "How the prompt becomes the model's text: alpaca (the paper's template), chat (the model's chat_template) or raw "
                    + "(as it is) (default: the format the model was trained with, else raw).")
    String promptFormat;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Default: the model's generation_config.json, else 256.")
    Integer maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "0 = greedy. Default: the model's generation_config.json, else 0.")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Sample among the K best tokens; 0 = all (default).")
    int topK;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "Above 1 discourages repeats (default: 1 or the model's).")
    Double repetitionPenalty;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the output contains this string (repeatable).")
    List<String> stops = List.of();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        InferenceModel loaded = modelOptions.load(engine);
        GenerationConfig config = loaded.defaults();
        if (maxNewTokens != null) {
            config = config.withMaxNewTokens(maxNewTokens);
        }
        if (temperature != null) {
            config = config.withSampling(temperature, topP, topK, seed);
        } else {
            config = config.withSampling(config.temperature(), topP == 1.0 ? config.topP() : topP,
                    topK == 0 ? config.topK() : topK, seed);
        }
        if (repetitionPenalty != null) {
            config = config.withRepetitionPenalty(repetitionPenalty);
        }
        config = config.withStopStrings(stops);
        PromptFormat format = promptFormat != null ? PromptFormat.parse(promptFormat)
                : PromptFormat.recordedIn(modelOptions.model()).orElse(PromptFormat.RAW);
        ModelPrompt modelPrompt = ModelPrompt.of(format, modelOptions.model(), modelOptions.tokenizer(), loaded.tokenizer());
        String text = modelPrompt.prompt(List.of(format.instruction(prompt, input)));
        Generation generation = loaded.generator().generateFromIds(new int[][] {modelPrompt.encode(text)}, config).get(0);
        spec.commandLine().getOut().println(generation.text());
        spec.commandLine().getOut().flush();
    }
}
