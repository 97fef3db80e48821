package org.instruct4j.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Answers {@code "Answer <h> to: <q>"} where {@code <h>} is the first 16 hex digits of
 * SHA-256 over the model and every message ({@code model}, then {@code "\n" + role + ":" + content}
 * per message, UTF-8) and {@code <q>} is the first 60 characters of the last user message. So a
 * test can recompute, with {@link #answer}, the exact answer the server gave for any prompt, and
 * any change in what the client sends changes the answer.
 */
public final class DeterministicResponder implements Responder {
    static final DeterministicResponder INSTANCE = new DeterministicResponder();
    private static final int QUOTED_CHARS = 60;

    private DeterministicResponder() {}

    @Override
    public Reply reply(ChatRequest request) {
        return Reply.of(request, answer(request.model(), request.messages()));
    }

    /** The content this responder answers for these messages sent to this model. */
    public static String answer(String model, List<ChatRequest.Message> messages) {
        StringBuilder text = new StringBuilder(model);
        String lastUser = "";
        for (ChatRequest.Message message : messages) {
            text.append('\n').append(message.role()).append(':').append(message.content());
            if (message.role().equals("user")) {
                lastUser = message.content();
            }
        }
        String hash = HexFormat.of().formatHex(sha256(text.toString())).substring(0, 16);
        return "Answer " + hash + " to: " + Text.firstCodePoints(lastUser, QUOTED_CHARS);
    }

    /** The content for a conversation of one user message. */
    public static String answer(String model, String userMessage) {
        return answer(model, List.of(ChatRequest.Message.user(userMessage)));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
