package org.instruct4j.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.instruct4j.core.io.BadInputException;

/** Finds and opens the tokenizer of a model directory, or a single tokenizer file. */
public final class Tokenizers {
    /** Files that make up a tokenizer, copied when a model directory is saved. */
    public static final List<String> FILES = List.of("tokenizer.model", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "tokenizer.bin");

    private Tokenizers() {}

    /**
     * The tokenizer in {@code path}: a directory with tokenizer.model (SentencePiece BPE, read natively),
     * tokenizer.json (Hugging Face) or tokenizer.bin (llama2.c), in that order of preference; or one such file.
     */
    public static Tokenizer load(Path path) {
        if (Files.isRegularFile(path)) {
            String name = path.getFileName().toString();
            if (name.endsWith(".model")) {
                return SentencePieceModelFile.read(path);
            }
            if (name.endsWith(".json")) {
                return HfTokenizer.read(path.getParent());
            }
            return Llama2cTokenizerFile.read(path);
        }
        Path sentencePiece = path.resolve("tokenizer.model");
        boolean hasJson = Files.isRegularFile(path.resolve("tokenizer.json"));
        if (Files.isRegularFile(sentencePiece)) {
            try {
                return SentencePieceModelFile.read(sentencePiece);
            } catch (UnsupportedOperationException unigram) {
                if (!hasJson) {
                    throw unigram;
                }
            }
        }
        if (hasJson) {
            return HfTokenizer.read(path);
        }
        if (Files.isRegularFile(path.resolve("tokenizer.bin"))) {
            return Llama2cTokenizerFile.read(path.resolve("tokenizer.bin"));
        }
        throw new BadInputException(path + ": no tokenizer.model, tokenizer.json or tokenizer.bin found");
    }

    /** The chat template (a Jinja string) from {@code dir}/tokenizer_config.json, if the model has one. */
    public static Optional<String> chatTemplate(Path dir) {
        Path file = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode template = new ObjectMapper().readTree(file.toFile()).get("chat_template");
            return template == null || !template.isTextual() ? Optional.empty() : Optional.of(template.asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
