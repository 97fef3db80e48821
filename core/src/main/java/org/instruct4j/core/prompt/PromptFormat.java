package org.instruct4j.core.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;

/**
 * How a conversation becomes the text a model is trained on and continues, one concept for every command
 * ({@code --prompt-format}): {@link #ALPACA} the paper's template ({@link AlpacaPrompt}), {@link #CHAT} the model's own
 * {@code chat_template} from tokenizer_config.json, rendered as Hugging Face renders it, {@link #RAW} the messages'
 * texts joined by blank lines. A trained model directory records the format it was trained with
 * ({@code prompt_format.json}), and the commands that load it default to that.
 */
public enum PromptFormat {
    ALPACA,
    CHAT,
    RAW;

    /** The file in a model directory that records the format the model was trained with. */
    public static final String FILE = "prompt_format.json";

    public static PromptFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown --prompt-format '" + name + "'; expected alpaca, chat or raw");
        }
    }

    /** The name used on the command line and in files: alpaca, chat or raw. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The user's message asking an instruction with its input: in the alpaca format the Alpaca prompt itself (the input
     * keeps its own section), otherwise the instruction with the input after a blank line.
     */
    public Turn instruction(String instruction, String input) {
        if (this == ALPACA) {
            return Turn.user(AlpacaPrompt.render(instruction, input));
        }
        return Turn.user(input == null || input.isEmpty() ? instruction : instruction + "\n\n" + input);
    }

    /** Records this format in the model directory {@code dir}. */
    public void recordIn(Path dir) {
        AtomicFiles.writeString(dir.resolve(FILE), Json.object().put("prompt_format", id()).toPrettyString() + "\n");
    }

    /** The format recorded in {@code model} (a model directory), if it has one. */
    public static Optional<PromptFormat> recordedIn(Path model) {
        Path file = model.resolve(FILE);
        if (!Files.isDirectory(model) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode recorded = Json.MAPPER.readTree(file.toFile()).path("prompt_format");
            if (!recorded.isTextual()) {
                throw new BadInputException(file + ": field \"prompt_format\": expected alpaca, chat or raw");
            }
            return Optional.of(parse(recorded.asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The format a local model is prompted with unless told otherwise: the one it was trained with, else {@link #CHAT}
     * when its tokenizer_config.json has a chat_template, else {@link #ALPACA}.
     */
    public static PromptFormat defaultFor(Path model) {
        return recordedIn(model).orElseGet(() -> hasChatTemplate(model) ? CHAT : ALPACA);
    }

    private static boolean hasChatTemplate(Path model) {
        Path config = model.resolve("tokenizer_config.json");
        if (!Files.isDirectory(model) || !Files.isRegularFile(config)) {
            return false;
        }
        try {
            return Json.MAPPER.readTree(config.toFile()).path("chat_template").isTextual();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config + ": " + e.getMessage(), e);
        }
    }
}
