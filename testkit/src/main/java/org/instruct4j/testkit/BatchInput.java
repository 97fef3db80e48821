package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A batch input file read and validated as OpenAI does before a batch runs: every line a JSON
 * object {@code {custom_id, method "POST", url, body}} for the batch's endpoint and one model,
 * custom_ids unique, at most 50,000 requests and 200 MB. Any violation fails the whole batch;
 * {@code errors} then names each offending line (1-based). Request bodies are not checked here:
 * a bad body fails only its own request, when it runs.
 */
record BatchInput(String model, List<Line> lines, List<ObjectNode> errors) {
    static final int MAX_REQUESTS = 50_000;
    static final long MAX_BYTES = 200L * 1024 * 1024;

    record Line(int number, String customId, JsonNode body) {}

    static BatchInput read(FileStore.StoredFile file, String endpoint) {
        List<ObjectNode> errors = new ArrayList<>();
        if (file.content().length > MAX_BYTES) {
            errors.add(error("file_too_large", "The input file is larger than 200 MB.", null, null));
            return new BatchInput(null, List.of(), errors);
        }
        String[] rows = file.text().split("\r?\n", -1);
        int count = rows.length > 0 && rows[rows.length - 1].isEmpty() ? rows.length - 1 : rows.length;
        List<Line> lines = new ArrayList<>(count);
        Set<String> customIds = new HashSet<>();
        String model = null;
        for (int i = 0; i < count; i++) {
            int number = i + 1;
            JsonNode line = parse(rows[i]);
            if (line == null || !line.isObject()) {
                errors.add(error("invalid_json_line", "This line is not parseable as a JSON object.", null, number));
                continue;
            }
            JsonNode customId = line.get("custom_id");
            JsonNode body = line.get("body");
            if (customId == null || !customId.isTextual()) {
                errors.add(error("missing_required_parameter", "Missing 'custom_id'.", "custom_id", number));
            } else if (!customIds.add(customId.asText())) {
                errors.add(error("duplicate_custom_id",
                        "The custom_id '" + customId.asText() + "' is used more than once in this file.",
                        "custom_id", number));
            } else if (!line.path("method").asText().equals("POST")) {
                errors.add(error("invalid_value", "'method' must be 'POST'.", "method", number));
            } else if (!line.path("url").asText().equals(endpoint)) {
                errors.add(error("invalid_url", "The url '" + line.path("url").asText()
                        + "' does not match the batch endpoint '" + endpoint + "'.", "url", number));
            } else if (body == null || !body.isObject() || !body.path("model").isTextual()) {
                errors.add(error("missing_required_parameter", "Missing 'body.model'.", "body.model", number));
            } else if (model != null && !model.equals(body.get("model").asText())) {
                errors.add(error("mismatched_model", "Every request in a batch must use the same model; earlier lines use '"
                        + model + "'.", "body.model", number));
            } else {
                model = body.get("model").asText();
                lines.add(new Line(number, customId.asText(), body));
            }
        }
        if (count == 0) {
            errors.add(error("empty_file", "The input file is empty.", null, null));
        } else if (count > MAX_REQUESTS) {
            errors.add(error("too_many_requests", "The input file has " + count + " requests; at most "
                    + MAX_REQUESTS + " are allowed.", null, null));
        }
        return new BatchInput(model, lines, errors);
    }

    private static JsonNode parse(String row) {
        try {
            return row.isBlank() ? null : Json.MAPPER.readTree(row);
        } catch (IOException e) {
            return null;
        }
    }

    static ObjectNode error(String code, String message, String param, Integer line) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        error.put("line", line);
        return error;
    }
}
