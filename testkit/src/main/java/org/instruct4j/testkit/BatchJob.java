package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One batch's state as the Batch API shows it. Guarded by its own monitor. */
final class BatchJob {
    private static final long COMPLETION_WINDOW_SECONDS = 24 * 60 * 60;

    enum Status {
        VALIDATING, FAILED, IN_PROGRESS, FINALIZING, COMPLETED, EXPIRED, CANCELLING, CANCELLED;

        String json() {
            return name().toLowerCase();
        }

        boolean terminal() {
            return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
        }
    }

    final String id = Ids.random("batch_");
    /** The input as it was when the batch was created, so deleting the file later does not matter. */
    final FileStore.StoredFile input;
    final String endpoint;
    final JsonNode metadata;
    final long createdAt = now();
    /** Scripted at creation: this batch fails validation, or expires half done. */
    final boolean failsValidation;
    final boolean expires;

    Status status = Status.VALIDATING;
    int pollsInStage;
    String model;
    List<ObjectNode> errors = List.of();
    /** The validated requests, kept from validation until they run. */
    List<BatchInput.Line> lines = List.of();
    int total;
    int completed;
    int failed;
    String outputFileId;
    String errorFileId;
    /** Files written when the requests ran, published when the batch completes. */
    byte[] pendingOutput;
    byte[] pendingErrors;
    private final Map<Status, Long> reachedAt = new EnumMap<>(Status.class);

    BatchJob(FileStore.StoredFile input, String endpoint, JsonNode metadata, boolean failsValidation, boolean expires) {
        this.input = input;
        this.endpoint = endpoint;
        this.metadata = metadata;
        this.failsValidation = failsValidation;
        this.expires = expires;
    }

    void moveTo(Status next) {
        status = next;
        pollsInStage = 0;
        reachedAt.put(next, now());
    }

    ObjectNode json() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", id);
        json.put("object", "batch");
        json.put("endpoint", endpoint);
        json.put("model", model);
        if (errors.isEmpty()) {
            json.putNull("errors");
        } else {
            ObjectNode list = json.putObject("errors");
            list.put("object", "list");
            ArrayNode data = list.putArray("data");
            errors.forEach(data::add);
        }
        json.put("input_file_id", input.id());
        json.put("completion_window", "24h");
        json.put("status", status.json());
        json.put("output_file_id", outputFileId);
        json.put("error_file_id", errorFileId);
        json.put("created_at", createdAt);
        json.put("in_progress_at", reachedAt.get(Status.IN_PROGRESS));
        json.put("expires_at", createdAt + COMPLETION_WINDOW_SECONDS);
        json.put("finalizing_at", reachedAt.get(Status.FINALIZING));
        json.put("completed_at", reachedAt.get(Status.COMPLETED));
        json.put("failed_at", reachedAt.get(Status.FAILED));
        json.put("expired_at", reachedAt.get(Status.EXPIRED));
        json.put("cancelling_at", reachedAt.get(Status.CANCELLING));
        json.put("cancelled_at", reachedAt.get(Status.CANCELLED));
        ObjectNode counts = json.putObject("request_counts");
        counts.put("total", total);
        counts.put("completed", completed);
        counts.put("failed", failed);
        json.set("metadata", metadata);
        return json;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
