package org.instruct4j.testkit;

import java.util.List;

/**
 * The server's stand-in for a tokenizer, simple enough for a test to recompute: a token is a
 * whitespace-separated word; a prompt costs its words plus 4 per message (OpenAI's per-message
 * overhead); a completion costs its words.
 */
public final class TokenCount {
    private static final int PER_MESSAGE = 4;

    private TokenCount() {}

    public static int words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    public static int promptTokens(List<ChatRequest.Message> messages) {
        return messages.stream().mapToInt(m -> words(m.content()) + PER_MESSAGE).sum();
    }

    public static int completionTokens(String content) {
        return words(content);
    }
}
