package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code POST /v1/chat/completions}, and the answering shared with batches. */
final class ChatCompletions {
    private final RequestLog log;
    private final FaultPlan faults;
    private volatile Responder responder = Responder.deterministic();
    private volatile Duration latency = Duration.ZERO;
    private volatile RpmLimiter rpmLimiter;

    ChatCompletions(RequestLog log, FaultPlan faults) {
        this.log = log;
        this.faults = faults;
    }

    void responder(Responder responder) {
        this.responder = responder;
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    void rpmLimit(int rpm) {
        this.rpmLimiter = rpm > 0 ? new RpmLimiter(rpm) : null;
    }

    void handle(HttpExchange exchange) throws IOException, InterruptedException {
        log.chatArrived();
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            RpmLimiter limiter = rpmLimiter;
            OptionalLong wait = limiter == null ? OptionalLong.empty() : limiter.tryAcquire();
            if (wait.isPresent()) {
                throw ApiError.rateLimited(wait.getAsLong());
            }
            ChatRequest request = ChatRequest.parse(HttpIo.parseJson(body));
            log.asked(request, false);
            Optional<Fault> fault = faults.next(request.lastUserMessage());
            switch (fault.orElse(null)) {
                case Fault.Status status -> throw ApiError.of(status);
                case Fault.Hang hang -> {
                    Thread.sleep(hang.duration());
                    HttpIo.drop(exchange);
                }
                case Fault.DropConnection drop -> HttpIo.drop(exchange);
                case Fault.MalformedJson malformed -> {
                    Thread.sleep(latency);
                    // Not logged as answered: the client cannot read this answer.
                    String json = Json.write(completion(request, responder.reply(request)));
                    HttpIo.send(exchange, 200, "application/json",
                            json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8));
                }
                case Fault.Truncated truncated -> {
                    Thread.sleep(latency);
                    HttpIo.sendJson(exchange, 200, completion(request, answer(request, true)));
                }
                case null -> {
                    Thread.sleep(latency);
                    HttpIo.sendJson(exchange, 200, completion(request, answer(request, false)));
                }
            }
        } finally {
            log.chatFinished();
        }
    }

    /** The responder's reply, cut if {@code truncated}; logged as answered. */
    Reply answer(ChatRequest request, boolean truncated) {
        Reply reply = responder.reply(request);
        Reply given = truncated ? reply.truncated() : reply;
        log.answered(request, given);
        return given;
    }

    /** A {@code chat.completion} object with {@code n} identical choices. */
    static ObjectNode completion(ChatRequest request, Reply reply) {
        int n = request.n() == null ? 1 : request.n();
        ObjectNode completion = Json.MAPPER.createObjectNode();
        completion.put("id", Ids.random("chatcmpl-"));
        completion.put("object", "chat.completion");
        completion.put("created", System.currentTimeMillis() / 1000);
        completion.put("model", request.model());
        ArrayNode choices = completion.putArray("choices");
        for (int i = 0; i < n; i++) {
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", reply.content());
            message.putNull("refusal");
            message.putArray("annotations");
            choice.putNull("logprobs");
            choice.put("finish_reason", reply.finishReason());
        }
        ObjectNode usage = completion.putObject("usage");
        usage.put("prompt_tokens", reply.promptTokens());
        usage.put("completion_tokens", reply.completionTokens() * n);
        usage.put("total_tokens", reply.promptTokens() + reply.completionTokens() * n);
        completion.put("service_tier", "default");
        completion.putNull("system_fingerprint");
        return completion;
    }
}
