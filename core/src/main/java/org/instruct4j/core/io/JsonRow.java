package org.instruct4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON object read from a dataset file, with where it came from and its position among the rows.
 * The typed accessors throw {@link BadInputException} naming file, line and field; nested objects
 * ({@link #element}) report their path, e.g. {@code instances[2].output}.
 */
public record JsonRow(ObjectNode node, Location location, long ordinal, String fieldPrefix) {

    public JsonRow(ObjectNode node, Location location, long ordinal) {
        this(node, location, ordinal, "");
    }

    public String string(String field) {
        JsonNode value = present(field);
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return value.textValue();
    }

    /** A string field that may be absent or null (then {@code fallback}). */
    public String optionalString(String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return value.textValue();
    }

    public double number(String field) {
        JsonNode value = present(field);
        if (!value.isNumber()) {
            throw wrongType(field, "a number", value);
        }
        return value.doubleValue();
    }

    public long integer(String field) {
        JsonNode value = present(field);
        if (!value.canConvertToExactIntegral()) {
            throw wrongType(field, "an integer", value);
        }
        return value.longValue();
    }

    public boolean optionalBoolean(String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "a boolean", value);
        }
        return value.booleanValue();
    }

    /** An array field; {@code nonEmpty} rejects []. */
    public int arraySize(String field, boolean nonEmpty) {
        JsonNode value = present(field);
        if (!value.isArray()) {
            throw wrongType(field, "an array", value);
        }
        if (nonEmpty && value.isEmpty()) {
            throw error(field, "expected a non-empty array, got []");
        }
        return value.size();
    }

    /** The i-th string of an array field. */
    public String stringElement(String field, int i) {
        JsonNode item = node.get(field).get(i);
        if (!item.isTextual()) {
            throw wrongType(field + "[" + i + "]", "a string", item);
        }
        return item.textValue();
    }

    /** The i-th number of an array field. */
    public double numberElement(String field, int i) {
        JsonNode item = node.get(field).get(i);
        if (!item.isNumber()) {
            throw wrongType(field + "[" + i + "]", "a number", item);
        }
        return item.doubleValue();
    }

    /** The i-th object of an array field, as a row whose errors name {@code field[i].name}. */
    public JsonRow element(String field, int i) {
        JsonNode item = node.get(field).get(i);
        if (!item.isObject()) {
            throw wrongType(field + "[" + i + "]", "an object", item);
        }
        return new JsonRow((ObjectNode) item, location, ordinal, fieldPrefix + field + "[" + i + "].");
    }

    /** The row's id: its {@code idField} (string or integer) when present, otherwise its ordinal. */
    public String id(String idField) {
        JsonNode value = node.get(idField);
        if (value == null || value.isNull()) {
            return Long.toString(ordinal);
        }
        if (value.isTextual() || value.canConvertToExactIntegral()) {
            return value.asText();
        }
        throw wrongType(idField, "a string or an integer", value);
    }

    public BadInputException error(String field, String problem) {
        return new BadInputException(location, field == null ? null : fieldPrefix + field, problem);
    }

    private JsonNode present(String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw error(field, "missing");
        }
        return value;
    }

    private BadInputException wrongType(String field, String expected, JsonNode actual) {
        return error(field, "expected " + expected + ", got " + describe(actual));
    }

    static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case NULL -> "null";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
