package org.instruct4j.serve.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.instruct4j.core.io.Json;

/** The two response shapes of OpenAI's API: chat completions and (legacy) text completions. */
enum Shape {
    CHAT("chatcmpl-", "chat.completion", "chat.completion.chunk"),
    TEXT("cmpl-", "text_completion", "text_completion");

    private final String idPrefix;
    private final String object;
    private final String chunkObject;

    Shape(String idPrefix, String object, String chunkObject) {
        this.idPrefix = idPrefix;
        this.object = object;
        this.chunkObject = chunkObject;
    }

    String newId() {
        return idPrefix + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /** One finished choice of a whole answer; {@code logprobs} null when not asked for. */
    ObjectNode choice(int index, String text, String finishReason, ObjectNode logprobs) {
        ObjectNode choice = Json.object().put("index", index);
        if (this == CHAT) {
            choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
        } else {
            choice.put("text", text);
        }
        choice.set("logprobs", logprobs);
        choice.put("finish_reason", finishReason);
        return choice;
    }

    /** The whole answer: its choices and the token usage. */
    ObjectNode response(String id, long created, String model, List<ObjectNode> choices, ObjectNode usage) {
        ObjectNode body = envelope(id, object, created, model);
        body.putArray("choices").addAll(choices);
        body.set("usage", usage);
        return body;
    }

    /**
     * A streamed piece of choice {@code index}: text (may be null), its tokens' log-probabilities (null when not
     * asked for), the finish reason on its last chunk. A chat stream opens each choice with the role.
     */
    ObjectNode chunk(String id, long created, String model, int index, String piece, ObjectNode logprobs, String finishReason,
                     boolean opening) {
        ObjectNode body = envelope(id, chunkObject, created, model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", index);
        if (this == CHAT) {
            ObjectNode delta = choice.putObject("delta");
            if (opening) {
                delta.put("role", "assistant");
            }
            if (piece != null) {
                delta.put("content", piece);
            }
        } else {
            choice.put("text", piece == null ? "" : piece);
        }
        choice.set("logprobs", logprobs);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return body;
    }

    /** The closing chunk of a stream that asked for usage: no choices, only the usage. */
    ObjectNode usageChunk(String id, long created, String model, ObjectNode usage) {
        ObjectNode body = envelope(id, chunkObject, created, model);
        body.putArray("choices");
        body.set("usage", usage);
        return body;
    }

    private static ObjectNode envelope(String id, String object, long created, String model) {
        ObjectNode body = Json.object();
        body.put("id", id);
        body.put("object", object);
        body.put("created", created);
        body.put("model", model);
        return body;
    }

    static ObjectNode usage(long prompt, long completion) {
        return Json.object().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }
}
