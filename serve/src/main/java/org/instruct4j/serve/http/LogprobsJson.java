package org.instruct4j.serve.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.serve.schedule.TokenLogprobs;

/**
 * Tokens' log-probabilities in OpenAI's two shapes. Chat: {@code {"content": [{"token", "logprob", "bytes",
 * "top_logprobs": [...]}], "refusal": null}}. Text completions: {@code {"tokens", "token_logprobs",
 * "top_logprobs": [{token: logprob}], "text_offset"}}. A token's text is its bytes decoded (a part of a character
 * shows as U+FFFD; its bytes are exact).
 */
final class LogprobsJson {
    private final Tokenizer tokenizer;

    LogprobsJson(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The shape's log-probabilities of {@code tokens}, the first at {@code offset} characters into the text. */
    ObjectNode of(Shape shape, List<TokenLogprobs> tokens, int offset) {
        return shape == Shape.CHAT ? chat(tokens) : text(tokens, offset);
    }

    /** How many characters {@code tokens} take in the text (for the text offsets of a stream's next chunk). */
    int length(List<TokenLogprobs> tokens) {
        return tokens.stream().mapToInt(t -> text(t.token()).length()).sum();
    }

    private ObjectNode chat(List<TokenLogprobs> tokens) {
        ObjectNode logprobs = Json.object();
        ArrayNode content = logprobs.putArray("content");
        for (TokenLogprobs token : tokens) {
            ObjectNode entry = entry(token.token(), token.logprob());
            ArrayNode top = entry.putArray("top_logprobs");
            for (int i = 0; i < token.topTokens().length; i++) {
                top.add(entry(token.topTokens()[i], token.topLogprobs()[i]));
            }
            content.add(entry);
        }
        logprobs.set("refusal", NullNode.getInstance());
        return logprobs;
    }

    private ObjectNode entry(int token, float logprob) {
        ObjectNode entry = Json.object().put("token", text(token)).put("logprob", logprob);
        ArrayNode bytes = entry.putArray("bytes");
        for (byte b : tokenizer.tokenBytes(token)) {
            bytes.add(b & 0xFF);
        }
        return entry;
    }

    private ObjectNode text(List<TokenLogprobs> tokens, int offset) {
        ObjectNode logprobs = Json.object();
        ArrayNode texts = logprobs.putArray("tokens");
        ArrayNode values = logprobs.putArray("token_logprobs");
        ArrayNode tops = logprobs.putArray("top_logprobs");
        ArrayNode offsets = logprobs.putArray("text_offset");
        for (TokenLogprobs token : tokens) {
            texts.add(text(token.token()));
            values.add(token.logprob());
            ObjectNode top = tops.addObject();
            for (int i = 0; i < token.topTokens().length; i++) {
                top.put(text(token.topTokens()[i]), token.topLogprobs()[i]);
            }
            offsets.add(offset);
            offset += text(token.token()).length();
        }
        return logprobs;
    }

    private String text(int token) {
        return new String(tokenizer.tokenBytes(token), StandardCharsets.UTF_8);
    }
}
