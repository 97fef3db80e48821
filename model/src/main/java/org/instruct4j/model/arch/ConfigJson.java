package org.instruct4j.model.arch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.instruct4j.core.io.BadInputException;

/** Reads fields of a Hugging Face config.json, with errors that name the file and the field. */
final class ConfigJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode root;
    private final Path file;

    ConfigJson(JsonNode root, Path file) {
        this.root = root;
        this.file = file;
    }

    static ConfigJson read(Path file) {
        try {
            return new ConfigJson(MAPPER.readTree(file.toFile()), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model config " + file + ": " + e.getMessage(), e);
        }
    }

    JsonNode root() {
        return root;
    }

    int requiredInt(String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw error(field, "is missing or not an integer");
        }
        return node.asInt();
    }

    int optionalInt(String field, int fallback) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? fallback : node.asInt();
    }

    double optionalDouble(String field, double fallback) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? fallback : node.asDouble();
    }

    boolean optionalBoolean(String field, boolean fallback) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? fallback : node.asBoolean();
    }

    String optionalText(String field, String fallback) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? fallback : node.asText();
    }

    /** eos_token_id is an int in Llama 2 and a list in Llama 3; both become an array. */
    int[] intOrIntList(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return new int[0];
        }
        if (node.isArray()) {
            int[] values = new int[node.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = node.get(i).asInt();
            }
            return values;
        }
        return new int[] {node.asInt()};
    }

    BadInputException error(String field, String problem) {
        return new BadInputException(file + ": field '" + field + "' " + problem);
    }

    static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }
}
