package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks: chat completions,
 * models, files and batches, with injected faults ({@link #faults()}), latency, a server-side
 * requests-per-minute limit, API-key checking and a log of everything it saw ({@link #log()}).
 * Every request runs on its own virtual thread, so slow answers are served in parallel.
 *
 * <pre>{@code
 * try (FakeOpenAiServer server = new FakeOpenAiServer().latency(Duration.ofMillis(100)).start()) {
 *     OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test").build();
 *     ...
 * }
 * }</pre>
 */
public final class FakeOpenAiServer implements AutoCloseable {
    private static final int BACKLOG = 1024;
    private final RequestLog log = new RequestLog();
    private final FaultPlan faults = new FaultPlan();
    private final FileStore files = new FileStore();
    private final ChatCompletions chat = new ChatCompletions(log, faults);
    private final Batches batches = new Batches(files, new BatchExecutor(chat, faults, log), log);
    private final FilesEndpoint filesEndpoint = new FilesEndpoint(files, log);
    private final BatchesEndpoint batchesEndpoint = new BatchesEndpoint(batches);
    private volatile String expectedApiKey;
    private volatile boolean listsBatches = true;
    private volatile List<String> models = List.of("gpt-4", "gpt-4o-mini", "gpt-3.5-turbo");
    private HttpServer server;
    private ExecutorService executor;

    /** Starts on a free port chosen by the system. */
    public FakeOpenAiServer start() {
        return start(0);
    }

    public synchronized FakeOpenAiServer start(int port) {
        if (server != null) {
            throw new IllegalStateException("the server is already running at " + baseUrl());
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** For example {@code http://127.0.0.1:41234/v1}, the SDK's {@code baseUrl}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the server is not started");
        }
        return server.getAddress().getPort();
    }

    /** Stops at once; requests still hanging or sleeping are interrupted and their connections closed. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** How chat requests are answered when no fault intercepts them; default {@link Responder#deterministic()}. */
    public FakeOpenAiServer responder(Responder responder) {
        chat.responder(responder);
        return this;
    }

    /** A fixed delay before every chat answer (not before injected error statuses). */
    public FakeOpenAiServer latency(Duration latency) {
        chat.latency(latency);
        return this;
    }

    /** Answers 429 with Retry-After once more than {@code rpm} chat requests arrived within 60 s; 0 turns it off. */
    public FakeOpenAiServer rpmLimit(int rpm) {
        chat.rpmLimit(rpm);
        return this;
    }

    /** Requires {@code Authorization: Bearer <apiKey>} on every request (401 otherwise); null turns it off. */
    public FakeOpenAiServer apiKey(String apiKey) {
        this.expectedApiKey = apiKey;
        return this;
    }

    /** The model ids {@code GET /v1/models} lists. Chat requests may name any model. */
    public FakeOpenAiServer models(String... ids) {
        this.models = List.of(ids);
        return this;
    }

    /**
     * Answers {@code GET /v1/batches} with 404, as many OpenAI-compatible providers do: batches can be created and
     * retrieved by id, not listed.
     */
    public FakeOpenAiServer withoutBatchListing() {
        this.listsBatches = false;
        return this;
    }

    public FaultPlan faults() {
        return faults;
    }

    public RequestLog log() {
        return log;
    }

    public FileStore files() {
        return files;
    }

    public Batches batches() {
        return batches;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            log.httpRequest(authorization);
            String key = expectedApiKey;
            if (key != null && !("Bearer " + key).equals(authorization)) {
                exchange.getRequestBody().readAllBytes();
                throw ApiError.unauthorized();
            }
            route(exchange);
        } catch (ApiError error) {
            HttpIo.sendError(exchange, error);
        } catch (InterruptedException e) {
            // The server is closing: leave the connection without an answer.
            HttpIo.drop(exchange);
        } catch (RuntimeException e) {
            // A bug here or in a test's responder: visible on stderr, and a 500 for the client.
            System.err.println("fake OpenAI server: " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getPath() + " failed");
            e.printStackTrace();
            HttpIo.sendError(exchange, ApiError.internal(e.toString()));
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.replaceAll("/+$", "").split("/");
        // parts[0] is "" because the path starts with '/'; parts[1] must be "v1".
        if (parts.length < 3 || !parts[1].equals("v1")) {
            throw notFound(method, path);
        }
        String resource = parts[2];
        String id = parts.length > 3 ? parts[3] : null;
        String action = parts.length > 4 ? parts[4] : null;
        if (parts.length > 5) {
            throw notFound(method, path);
        }
        switch (method + " " + resource + (id == null ? "" : "/{id}") + (action == null ? "" : "/" + action)) {
            case "POST chat/{id}" -> {
                if (!id.equals("completions")) {
                    throw notFound(method, path);
                }
                chat.handle(exchange);
            }
            case "GET models" -> HttpIo.sendJson(exchange, 200, modelList());
            case "GET models/{id}" -> HttpIo.sendJson(exchange, 200, model(id));
            case "POST files" -> filesEndpoint.upload(exchange);
            case "GET files" -> filesEndpoint.list(exchange);
            case "GET files/{id}" -> filesEndpoint.retrieve(exchange, id);
            case "GET files/{id}/content" -> filesEndpoint.content(exchange, id);
            case "DELETE files/{id}" -> filesEndpoint.delete(exchange, id);
            case "POST batches" -> batchesEndpoint.create(exchange);
            case "GET batches" -> {
                log.batchesListed();
                if (!listsBatches) {
                    throw notFound(method, path);
                }
                batchesEndpoint.list(exchange, query(exchange));
            }
            case "GET batches/{id}" -> batchesEndpoint.retrieve(exchange, id);
            case "POST batches/{id}/cancel" -> batchesEndpoint.cancel(exchange, id);
            default -> throw notFound(method, path);
        }
    }

    private ObjectNode modelList() {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        models.forEach(id -> data.add(model(id)));
        return list;
    }

    private ObjectNode model(String id) {
        if (!models.contains(id)) {
            throw ApiError.notFound("The model '" + id + "' does not exist");
        }
        ObjectNode model = Json.MAPPER.createObjectNode();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", 1_686_935_002L);
        model.put("owned_by", "openai");
        return model;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static ApiError notFound(String method, String path) {
        return ApiError.notFound("Invalid URL (" + method + " " + path + ")");
    }
}
