package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code /v1/files}: upload (multipart), list, retrieve, content and delete. An upload is read as api.openai.com
 * reads it: the file part must carry a filename, a Batch API input must be a non-empty {@code .jsonl} file.
 */
final class FilesEndpoint {
    private static final Set<String> UPLOAD_PURPOSES =
            Set.of("assistants", "batch", "fine-tune", "vision", "user_data", "evals");
    private final FileStore store;
    private final RequestLog log;

    FilesEndpoint(FileStore store, RequestLog log) {
        this.store = store;
        this.log = log;
    }

    void upload(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, Multipart.Part> parts = Multipart.parse(exchange.getRequestHeaders().getFirst("Content-Type"), body);
        Multipart.Part purpose = parts.get("purpose");
        if (purpose == null) {
            throw ApiError.invalidRequest("Missing required parameter: 'purpose'.", "purpose");
        }
        if (!UPLOAD_PURPOSES.contains(purpose.text())) {
            throw ApiError.invalidRequest("'" + purpose.text() + "' is not one of " + UPLOAD_PURPOSES
                    + " - 'purpose'", "purpose");
        }
        Multipart.Part file = parts.get("file");
        if (file == null) {
            throw ApiError.invalidRequest("Missing required parameter: 'file'.", "file");
        }
        if (file.filename() == null) {
            // What api.openai.com answers when the file part has no filename (openai/openai-java#284, #306).
            throw new ApiError(400, "The browser (or proxy) sent a request that this server could not understand.",
                    "server_error", null, null, OptionalLong.empty());
        }
        if (purpose.text().equals("batch") && !file.filename().endsWith(".jsonl")) {
            throw ApiError.invalidRequest("Invalid file format for Batch API. Must be .jsonl", "file");
        }
        if (file.content().length == 0) {
            throw ApiError.invalidRequest("File is empty.", "file");
        }
        FileStore.StoredFile stored = store.add(file.filename(), purpose.text(), file.content());
        log.fileUploaded();
        HttpIo.sendJson(exchange, 200, FileStore.json(stored));
    }

    void list(HttpExchange exchange) throws IOException {
        List<FileStore.StoredFile> files = store.all();
        ObjectNode page = Json.MAPPER.createObjectNode();
        page.put("object", "list");
        ArrayNode data = page.putArray("data");
        files.forEach(file -> data.add(FileStore.json(file)));
        page.put("has_more", false);
        page.put("first_id", files.isEmpty() ? null : files.getFirst().id());
        page.put("last_id", files.isEmpty() ? null : files.getLast().id());
        HttpIo.sendJson(exchange, 200, page);
    }

    void retrieve(HttpExchange exchange, String id) throws IOException {
        HttpIo.sendJson(exchange, 200, FileStore.json(store.get(id)));
    }

    void content(HttpExchange exchange, String id) throws IOException {
        HttpIo.send(exchange, 200, "application/octet-stream", store.get(id).content());
    }

    void delete(HttpExchange exchange, String id) throws IOException {
        FileStore.StoredFile file = store.delete(id);
        ObjectNode deleted = Json.MAPPER.createObjectNode();
        deleted.put("id", file.id());
        deleted.put("object", "file");
        deleted.put("deleted", true);
        HttpIo.sendJson(exchange, 200, deleted);
    }
}
