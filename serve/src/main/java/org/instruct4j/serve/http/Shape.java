package org.instruct4j.serve.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** The whole answer: one choice and the token usage. */
    ObjectNode response(String id, long created, String model, String text, String finishReason, ObjectNode usage) {
        ObjectNode body = envelope(id, object, created, model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        if (this == CHAT) {
            choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        body.set("usage", usage);
        return body;
    }

    /** A streamed piece of the answer; {@code finishReason} null until the last one. A chat stream opens with the role. */
    ObjectNode chunk(String id, long created, String model, String piece, String finishReason, boolean opening) {
        ObjectNode body = envelope(id, chunkObject, created, model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
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
        choice.putNull("logprobs");
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
