package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a batch's requests through the same responder, fault plan and log as chat requests over
 * HTTP, and writes the output file (requests answered with 200) and the error file (the rest) in
 * OpenAI's per-line shape {@code {id, custom_id, response: {status_code, request_id, body}, error}}.
 */
final class BatchExecutor {
    private final ChatCompletions chat;
    private final FaultPlan faults;
    private final RequestLog log;

    /** The two files' contents and the request counts. */
    record Result(byte[] output, byte[] errors, int completed, int failed) {}

    BatchExecutor(ChatCompletions chat, FaultPlan faults, RequestLog log) {
        this.chat = chat;
        this.faults = faults;
        this.log = log;
    }

    /**
     * Runs the lines before {@code expireFrom}; later lines fail with {@code batch_expired}.
     * Requests whose custom_id is in {@code failingCustomIds} fail with a 500.
     */
    Result execute(List<BatchInput.Line> lines, int expireFrom, Set<String> failingCustomIds) {
        StringBuilder output = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        int completed = 0;
        for (int i = 0; i < lines.size(); i++) {
            BatchInput.Line line = lines.get(i);
            ObjectNode result = i >= expireFrom
                    ? failed(line, "batch_expired",
                            "This request could not be executed before the completion window expired.")
                    : failingCustomIds.contains(line.customId())
                            ? withStatus(line, ApiError.of(Fault.status(500)))
                            : run(line);
            boolean ok = result.path("response").path("status_code").asInt() == 200;
            (ok ? output : errors).append(Json.write(result)).append('\n');
            completed += ok ? 1 : 0;
        }
        return new Result(bytes(output), bytes(errors), completed, lines.size() - completed);
    }

    private ObjectNode run(BatchInput.Line line) {
        ChatRequest request;
        try {
            request = ChatRequest.parse(line.body());
        } catch (ApiError invalid) {
            return withStatus(line, invalid);
        }
        log.asked(request, true);
        Optional<Fault> fault = faults.next(request.lastUserMessage());
        return switch (fault.orElse(null)) {
            case Fault.Status status -> withStatus(line, ApiError.of(status));
            case Fault.Hang hang -> failed(line, "request_timeout", "The request timed out.");
            case Fault.DropConnection drop -> failed(line, "server_error", "The server closed the connection.");
            case Fault.MalformedJson malformed -> failed(line, "server_error", "The server returned an invalid response.");
            case Fault.Truncated truncated -> answered(line, request, chat.answer(request, true));
            case null -> answered(line, request, chat.answer(request, false));
        };
    }

    private static ObjectNode answered(BatchInput.Line line, ChatRequest request, Reply reply) {
        return response(line, 200, ChatCompletions.completion(request, reply));
    }

    private static ObjectNode withStatus(BatchInput.Line line, ApiError error) {
        return response(line, error.status, error.body());
    }

    private static ObjectNode response(BatchInput.Line line, int status, ObjectNode body) {
        ObjectNode result = start(line);
        ObjectNode response = result.putObject("response");
        response.put("status_code", status);
        response.put("request_id", Ids.random("req_"));
        response.set("body", body);
        result.putNull("error");
        return result;
    }

    private static ObjectNode failed(BatchInput.Line line, String code, String message) {
        ObjectNode result = start(line);
        result.putNull("response");
        ObjectNode error = result.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return result;
    }

    private static ObjectNode start(BatchInput.Line line) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("id", Ids.random("batch_req_"));
        result.put("custom_id", line.customId());
        return result;
    }

    private static byte[] bytes(StringBuilder text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
