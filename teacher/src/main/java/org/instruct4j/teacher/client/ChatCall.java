package org.instruct4j.teacher.client;

import java.util.List;

/** Everything that goes into one chat-completions request except the endpoint and the key. */
public record ChatCall(String model, List<ChatMessage> messages, Sampling sampling) {
    public ChatCall {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat call needs at least one message");
        }
    }

    /** A rough token count of the prompt (4 characters a token), used before the server reports usage. */
    public long estimatedPromptTokens() {
        long chars = 0;
        for (ChatMessage m : messages) {
            chars += m.content().length() + 16;
        }
        return chars / 4 + 1;
    }

    /** The most tokens this call can consume: prompt estimate plus the completion budget (for --tpm). */
    public long tokenBudget() {
        return estimatedPromptTokens() + sampling.maxTokens();
    }
}
