package org.instruct4j.serve;

import java.util.List;
import java.util.Locale;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.teacher.client.ChatMessage;

/**
 * How chat messages become the text a local model continues. {@link #ALPACA} suits models fine-tuned on
 * GPT-4-LLM / Alpaca data: the last user message is the instruction (a message that already is an Alpaca
 * prompt, as the generate commands send, gives its own instruction and input), a system message goes before the
 * instruction, and earlier turns of a conversation become the input. {@link #RAW} joins the message contents, for base models.
 */
public enum PromptFormat {
    ALPACA,
    RAW;

    public static PromptFormat parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown prompt format '" + name + "': use alpaca or raw");
        }
    }

    public String render(List<ChatMessage> messages) {
        return switch (this) {
            case RAW -> String.join("\n\n", messages.stream().map(ChatMessage::content).toList());
            case ALPACA -> alpaca(messages);
        };
    }

    private static String alpaca(List<ChatMessage> messages) {
        int last = lastUser(messages);
        StringBuilder system = new StringBuilder();
        StringBuilder transcript = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (i == last) {
                continue;
            }
            switch (m.role()) {
                case SYSTEM -> system.append(m.content()).append("\n\n");
                case USER -> transcript.append("User: ").append(m.content()).append('\n');
                case ASSISTANT -> transcript.append("Assistant: ").append(m.content()).append('\n');
            }
        }
        String user = messages.get(last).content();
        AlpacaPrompt.Parts parts = AlpacaPrompt.parse(user).orElse(new AlpacaPrompt.Parts(user, ""));
        String input = transcript.isEmpty() ? parts.input()
                : (transcript.toString() + (parts.input().isEmpty() ? "" : "\n" + parts.input())).strip();
        return AlpacaPrompt.render(system + parts.instruction(), input);
    }

    private static int lastUser(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return i;
            }
        }
        throw new BadInputException("the conversation has no user message");
    }
}
