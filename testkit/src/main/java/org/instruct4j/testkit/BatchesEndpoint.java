package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code /v1/batches}: create, retrieve, list and cancel. */
final class BatchesEndpoint {
    private static final String ENDPOINT = "/v1/chat/completions";
    private static final int MAX_METADATA_KEYS = 16;
    private final Batches batches;

    BatchesEndpoint(Batches batches) {
        this.batches = batches;
    }

    void create(HttpExchange exchange) throws IOException {
        JsonNode body = HttpIo.parseJson(exchange.getRequestBody().readAllBytes());
        String inputFileId = requiredText(body, "input_file_id");
        if (!requiredText(body, "endpoint").equals(ENDPOINT)) {
            throw ApiError.invalidRequest("This server supports only the endpoint '" + ENDPOINT + "'.", "endpoint");
        }
        if (!requiredText(body, "completion_window").equals("24h")) {
            throw ApiError.invalidRequest("'completion_window' must be '24h'.", "completion_window");
        }
        JsonNode metadata = body.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isNull()
                && (!metadata.isObject() || metadata.size() > MAX_METADATA_KEYS)) {
            throw ApiError.invalidRequest("'metadata' must be an object of at most 16 keys.", "metadata");
        }
        BatchJob job = batches.create(inputFileId, ENDPOINT, metadata.isMissingNode() ? null : metadata);
        send(exchange, job);
    }

    void retrieve(HttpExchange exchange, String id) throws IOException {
        BatchJob job = batches.get(id);
        batches.poll(job);
        send(exchange, job);
    }

    void cancel(HttpExchange exchange, String id) throws IOException {
        exchange.getRequestBody().readAllBytes();
        BatchJob job = batches.get(id);
        batches.cancel(job);
        send(exchange, job);
    }

    /** Newest first, paged with {@code limit} (1-100, default 20) and the {@code after} cursor. */
    void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<BatchJob> all = batches.newestFirst();
        int from = 0;
        String after = query.get("after");
        if (after != null) {
            from = all.indexOf(batches.get(after)) + 1;
        }
        int limit = limit(query.get("limit"));
        List<BatchJob> page = all.subList(from, Math.min(all.size(), from + limit));
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("object", "list");
        ArrayNode data = json.putArray("data");
        for (BatchJob job : page) {
            synchronized (job) {
                data.add(job.json());
            }
        }
        json.put("first_id", page.isEmpty() ? null : page.getFirst().id);
        json.put("last_id", page.isEmpty() ? null : page.getLast().id);
        json.put("has_more", from + page.size() < all.size());
        HttpIo.sendJson(exchange, 200, json);
    }

    private static int limit(String value) {
        if (value == null) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below like any other out-of-range value
        }
        throw ApiError.invalidRequest("'limit' must be an integer between 1 and 100.", "limit");
    }

    private static void send(HttpExchange exchange, BatchJob job) throws IOException {
        ObjectNode json;
        synchronized (job) {
            json = job.json();
        }
        HttpIo.sendJson(exchange, 200, json);
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiError.invalidRequest("Missing required parameter: '" + field + "'.", field);
        }
        return value.asText();
    }
}
