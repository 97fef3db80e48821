package org.instruct4j.testkit;

/** The answer to one chat request: one choice's content, its finish reason and its usage. */
public record Reply(String content, String finishReason, int promptTokens, int completionTokens) {

    /** A complete answer ({@code finish_reason "stop"}) with usage from {@link TokenCount}. */
    public static Reply of(ChatRequest request, String content) {
        return new Reply(content, "stop", TokenCount.promptTokens(request.messages()),
                TokenCount.completionTokens(content));
    }

    /** This answer cut by the token limit: the first half of the content, {@code finish_reason "length"}. */
    public Reply truncated() {
        String cut = Text.firstCodePoints(content, content.codePointCount(0, content.length()) / 2);
        return new Reply(cut, "length", promptTokens, TokenCount.completionTokens(cut));
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
