package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The server's files, in memory: uploads and the batch output and error files. Thread-safe. */
public final class FileStore {
    private final Map<String, StoredFile> files = new LinkedHashMap<>();

    /** One file; {@code createdAt} is in epoch seconds. */
    public record StoredFile(String id, String filename, String purpose, byte[] content, long createdAt) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    public synchronized Optional<StoredFile> find(String id) {
        return Optional.ofNullable(files.get(id));
    }

    /** Every file still stored, oldest first. */
    public synchronized List<StoredFile> all() {
        return new ArrayList<>(files.values());
    }

    synchronized StoredFile add(String filename, String purpose, byte[] content) {
        StoredFile file = new StoredFile(Ids.random("file-"), filename, purpose, content,
                System.currentTimeMillis() / 1000);
        files.put(file.id(), file);
        return file;
    }

    synchronized StoredFile get(String id) {
        return find(id).orElseThrow(() -> ApiError.notFound("No such File object: " + id));
    }

    synchronized StoredFile delete(String id) {
        StoredFile file = get(id);
        files.remove(id);
        return file;
    }

    static ObjectNode json(StoredFile file) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", file.id());
        json.put("object", "file");
        json.put("bytes", file.content().length);
        json.put("created_at", file.createdAt());
        json.putNull("expires_at");
        json.put("filename", file.filename());
        json.put("purpose", file.purpose());
        json.put("status", "processed");
        json.putNull("status_details");
        return json;
    }
}
