package org.instruct4j.teacher.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.Location;

/**
 * What the state file remembers about one input file and its batch: the custom_ids it holds (in file
 * order, so a batch error naming a line names an id), the content digest, the uploaded file, the batch
 * once created, its last seen status, and whether its results were merged into the output. Until then
 * its ids count as submitted and are never sent again.
 */
record BatchRecord(int chunk, String digest, List<String> customIds, String inputFileId, String uploadedAt,
        String batchId, String status, boolean collected) {

    BatchRecord {
        customIds = List.copyOf(customIds);
    }

    static BatchRecord uploaded(int chunk, String digest, List<String> customIds, String inputFileId, String uploadedAt) {
        return new BatchRecord(chunk, digest, customIds, inputFileId, uploadedAt, null, null, false);
    }

    boolean hasBatch() {
        return batchId != null;
    }

    BatchRecord withBatch(String id, String inputFile, String newStatus) {
        return new BatchRecord(chunk, digest, customIds, inputFile, uploadedAt, id, newStatus, collected);
    }

    BatchRecord withStatus(String newStatus) {
        return new BatchRecord(chunk, digest, customIds, inputFileId, uploadedAt, batchId, newStatus, collected);
    }

    BatchRecord asCollected() {
        return new BatchRecord(chunk, digest, customIds, inputFileId, uploadedAt, batchId, status, true);
    }

    ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("chunk", chunk);
        json.put("digest", digest);
        json.put("input_file_id", inputFileId);
        json.put("uploaded_at", uploadedAt);
        json.put("batch_id", batchId);
        json.put("status", status);
        json.put("collected", collected);
        json.put("requests", customIds.size());
        customIds.forEach(json.putArray("custom_ids")::add);
        return json;
    }

    static BatchRecord fromJson(JsonNode json, Path file, int index) {
        String where = "batches[" + index + "].";
        JsonNode ids = json.get("custom_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new BadInputException(Location.file(file), where + "custom_ids", "expected a non-empty array of ids");
        }
        List<String> customIds = new ArrayList<>(ids.size());
        ids.forEach(id -> customIds.add(id.asText()));
        JsonNode chunk = json.get("chunk");
        if (chunk == null || !chunk.canConvertToInt()) {
            throw new BadInputException(Location.file(file), where + "chunk", "expected the chunk number");
        }
        JsonNode collected = json.get("collected");
        if (collected == null || !collected.isBoolean()) {
            throw new BadInputException(Location.file(file), where + "collected", "expected true or false");
        }
        return new BatchRecord(chunk.asInt(), text(json, "digest", true, file, where), customIds,
                text(json, "input_file_id", true, file, where), text(json, "uploaded_at", false, file, where),
                text(json, "batch_id", false, file, where), text(json, "status", false, file, where),
                collected.asBoolean());
    }

    private static String text(JsonNode json, String field, boolean required, Path file, String where) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadInputException(Location.file(file), where + field, "missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new BadInputException(Location.file(file), where + field, "expected a string");
        }
        return value.asText();
    }
}
