package org.instruct4j.core.prompt;

/**
 * One message of a conversation as prompt templates see it: {@code role} is "system", "user" or "assistant" (the
 * names OpenAI's API and Hugging Face chat templates use).
 */
public record Turn(String role, String content) {
    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public Turn {
        if (!role.equals(SYSTEM) && !role.equals(USER) && !role.equals(ASSISTANT)) {
            throw new IllegalArgumentException("unknown role \"" + role + "\"; expected system, user or assistant");
        }
    }

    public static Turn system(String content) {
        return new Turn(SYSTEM, content);
    }

    public static Turn user(String content) {
        return new Turn(USER, content);
    }

    public static Turn assistant(String content) {
        return new Turn(ASSISTANT, content);
    }
}
