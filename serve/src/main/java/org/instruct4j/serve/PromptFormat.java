package org.instruct4j.serve;

import java.util.List;
import java.util.Locale;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.teacher.client.ChatMessage;

/**
 * How chat messages become the text a local model continues. {@link #ALPACA} suits models fine-tuned on
 * GPT-4-LLM / Alpaca data ({@link AlpacaPrompt#renderConversation}). {@link #RAW} joins the message contents, for base models.
 */
public enum PromptFormat {
    ALPACA,
    RAW;

    public static PromptFormat parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown prompt format '" + name + "': use alpaca or raw");
        }
    }

    public String render(List<ChatMessage> messages) {
        return switch (this) {
            case RAW -> String.join("\n\n", messages.stream().map(ChatMessage::content).toList());
            case ALPACA -> AlpacaPrompt.renderConversation(messages.stream()
                    .map(m -> new Turn(m.role().name().toLowerCase(Locale.ROOT), m.content())).toList());
        };
    }
}
