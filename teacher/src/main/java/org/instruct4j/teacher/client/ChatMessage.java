package org.instruct4j.teacher.client;

import java.util.Locale;
import org.instruct4j.core.prompt.Turn;

/** One message of a chat request. */
public record ChatMessage(Role role, String content) {
    public enum Role { SYSTEM, USER, ASSISTANT }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }

    /** The message as prompt templates see it. */
    public Turn turn() {
        return new Turn(role.name().toLowerCase(Locale.ROOT), content);
    }
}
