package org.instruct4j.train.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.chat.ChatTemplate;
import org.instruct4j.model.tokenizer.Tokenizer;

/** Picks the prompt format a run asked for. */
public final class PromptFormats {
    private PromptFormats() {}

    /** alpaca, or chat with the template of the base directory (or of the tokenizer's directory). */
    public static PromptFormat of(String template, Tokenizer tokenizer, Path base, Path tokenizerPath) {
        if (template.equals("alpaca")) {
            return new AlpacaFormat(tokenizer);
        }
        Path dir = Files.isDirectory(base) ? base
                : tokenizerPath == null ? null : Files.isDirectory(tokenizerPath) ? tokenizerPath : tokenizerPath.getParent();
        ChatTemplate chat = dir == null ? null : ChatTemplate.of(dir).orElse(null);
        if (chat == null) {
            throw new BadInputException("template chat: " + (dir == null ? base : dir)
                    + " has no tokenizer_config.json with a chat_template; use --template alpaca");
        }
        return new ChatFormat(chat, tokenizer);
    }
}
