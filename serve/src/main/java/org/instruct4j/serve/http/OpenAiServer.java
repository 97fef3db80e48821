package org.instruct4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.serve.LocalModel;
import org.instruct4j.serve.structured.StructuredOutputs;
import org.instruct4j.teacher.client.ChatMessage;

/**
 * A local model behind OpenAI's HTTP API: {@code GET /v1/models}, {@code POST /v1/chat/completions} (also
 * streamed as server-sent events) and {@code POST /v1/completions}, plus {@code GET /health} and Prometheus'
 * {@code GET /metrics}. Concurrent requests share the running batch of the model's generation queue; a full queue
 * answers 429 with Retry-After. Errors come in OpenAI's error shape; with an API key set, requests to {@code /v1}
 * without the matching bearer token get 401. {@link #close()} refuses new requests, lets those in flight finish,
 * then stops.
 */
public final class OpenAiServer implements AutoCloseable {
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);

    private final ServeOptions options;
    private final ModelPrompt prompt;
    private final LocalModel model;
    private final StructuredOutputs structured;
    private final ServeMetrics metrics;
    private final Completion completion;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long created = System.currentTimeMillis() / 1000;
    private volatile boolean draining;
    private final Javalin app;

    private OpenAiServer(LocalModel model, ModelPrompt prompt, ServeOptions options) {
        this.options = options;
        this.prompt = prompt;
        this.model = model;
        this.structured = new StructuredOutputs(model.tokenizer());
        this.metrics = new ServeMetrics(model.queue());
        this.completion = new Completion(model.queue(), new LogprobsJson(model.tokenizer()), metrics, options.modelId());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = options.maxBodyBytes();
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            // close() drains the requests in flight; Jetty's own shutdown hook would cut them off
            config.jetty.modifyServer(server -> server.setStopAtShutdown(false));
            config.routes.get("/v1/models", guarded(this::models));
            config.routes.get("/v1/models/{model}", guarded(this::model));
            config.routes.post("/v1/chat/completions", guarded(this::chat));
            config.routes.post("/v1/completions", guarded(this::text));
            config.routes.get("/health", this::health);
            config.routes.get("/metrics", this::metrics);
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> error(ctx,
                    new ApiException(500, "server_error", null, null, "internal error: " + e)));
            config.routes.error(404, ctx -> {
                // Javalin's own "not found" text, not one of our JSON errors (model_not_found)
                if (ctx.result() == null || !ctx.result().startsWith("{")) {
                    error(ctx, new ApiException(404, "invalid_request_error", null, "unknown_url",
                            "Unrecognized request URL (" + ctx.method() + ": " + ctx.path() + ")"));
                }
            });
        });
    }

    /** Starts listening; port 0 picks a free port ({@link #port()}). */
    public static OpenAiServer start(LocalModel model, ModelPrompt prompt, ServeOptions options) {
        OpenAiServer server = new OpenAiServer(model, prompt, options);
        server.app.start();
        return server;
    }

    public int port() {
        return app.port();
    }

    public String baseUrl() {
        return "http://" + options.host() + ":" + port() + "/v1";
    }

    /** Every request goes through here: refused while draining, authenticated, size-checked, counted while in flight. */
    private Handler guarded(Handler endpoint) {
        return ctx -> {
            if (draining) {
                throw new ApiException(503, "server_error", null, null, "the server is shutting down");
            }
            authenticate(ctx);
            long length = ctx.req().getContentLengthLong();
            if (length > options.maxBodyBytes()) {
                throw new ApiException(413, "invalid_request_error", null, "request_too_large",
                        "the request body has " + length + " bytes; this server accepts at most " + options.maxBodyBytes());
            }
            inFlight.incrementAndGet();
            try {
                endpoint.handle(ctx);
            } finally {
                inFlight.decrementAndGet();
            }
        };
    }

    private void authenticate(Context ctx) {
        if (options.apiKey() == null) {
            return;
        }
        String header = ctx.header("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()).strip() : null;
        if (!options.apiKey().matches(token)) {
            throw new ApiException(401, "invalid_request_error", null, "invalid_api_key",
                    "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>'.");
        }
    }

    /** 200 while serving, 503 once draining (a load balancer stops sending requests). */
    private void health(Context ctx) throws IOException {
        if (draining) {
            throw new ApiException(503, "server_error", null, null, "the server is shutting down");
        }
        JsonResponse.write(ctx, Json.line(Json.object().put("status", "ok")));
    }

    private void metrics(Context ctx) throws IOException {
        ctx.res().setStatus(200);
        ctx.res().setContentType(metrics.contentType());
        try (OutputStream out = ctx.res().getOutputStream()) {
            metrics.write(out);
        }
    }

    private void models(Context ctx) throws IOException {
        ObjectNode body = Json.object().put("object", "list");
        body.putArray("data").add(modelObject());
        JsonResponse.write(ctx, Json.line(body));
    }

    private void model(Context ctx) throws IOException {
        if (!ctx.pathParam("model").equals(options.modelId())) {
            throw modelNotFound(ctx.pathParam("model"));
        }
        JsonResponse.write(ctx, Json.line(modelObject()));
    }

    private ObjectNode modelObject() {
        return Json.object().put("id", options.modelId()).put("object", "model").put("created", created)
                .put("owned_by", "instruct4j");
    }

    private void chat(Context ctx) throws IOException {
        JsonNode body = parse(ctx);
        checkModel(body);
        List<ChatMessage> messages = messages(body.get("messages"));
        GenerationRequest request = GenerationRequest.read(body, true, options, model.defaults(), structured);
        String text;
        try {
            text = prompt.prompt(messages.stream().map(ChatMessage::turn).toList());
        } catch (BadInputException e) {
            throw ApiException.invalid("messages", e.getMessage());
        }
        completion.answer(ctx, Shape.CHAT, prompt.encode(text), request);
    }

    private void text(Context ctx) throws IOException {
        JsonNode body = parse(ctx);
        checkModel(body);
        JsonNode prompt = body.get("prompt");
        if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            prompt = prompt.get(0);
        }
        if (prompt == null || !prompt.isTextual()) {
            throw ApiException.invalid("prompt", "prompt must be a string (one prompt per request)");
        }
        GenerationRequest request = GenerationRequest.read(body, false, options, model.defaults(), structured);
        completion.answer(ctx, Shape.TEXT, model.tokenizer().encode(prompt.asText(), true), request);
    }

    private static JsonNode parse(Context ctx) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiException.invalid(null, "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(null, "the body must be a JSON object");
        }
        return body;
    }

    private void checkModel(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual()) {
            throw ApiException.invalid("model", "model is required");
        }
        if (!model.asText().equals(options.modelId())) {
            throw modelNotFound(model.asText());
        }
    }

    private ApiException modelNotFound(String model) {
        return new ApiException(404, "invalid_request_error", "model", "model_not_found",
                "The model '" + model + "' does not exist; this server serves '" + options.modelId() + "'");
    }

    /** OpenAI's messages: role system, developer, user or assistant; content a string or a list of text parts. */
    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty array");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String param = "messages[" + i + "]";
            ChatMessage.Role role = switch (message.path("role").asText()) {
                case "system", "developer" -> ChatMessage.Role.SYSTEM;
                case "user" -> ChatMessage.Role.USER;
                case "assistant" -> ChatMessage.Role.ASSISTANT;
                default -> throw ApiException.invalid(param + ".role",
                        "role must be system, developer, user or assistant, got '" + message.path("role").asText() + "'");
            };
            out.add(new ChatMessage(role, content(message.get("content"), param + ".content")));
        }
        return out;
    }

    private static String content(JsonNode content, String param) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiException.invalid(param, "only text content parts are supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiException.invalid(param, "content must be a string or an array of text parts");
    }

    private static void error(Context ctx, ApiException e) {
        if (e.retryAfter() != null) {
            long millis = Math.max(1, e.retryAfter().toMillis());
            ctx.header("Retry-After", Long.toString((millis + 999) / 1000));
            ctx.header("retry-after-ms", Long.toString(millis));
        }
        ctx.status(e.status()).contentType("application/json").result(Json.line(e.body()));
    }

    /** Requests being answered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Refuses new requests, waits for those in flight (up to two minutes), then stops listening. */
    @Override
    public void close() {
        draining = true;
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
    }
}
