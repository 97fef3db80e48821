package org.instruct4j.eval.judge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.Location;

/**
 * FastChat's judge definition files (JSONL), either a user's copy or the verbatim copy bundled with instruct4j;
 * both are decoded the same way, with file:line:field errors.
 */
final class ProtocolFiles {
    private ProtocolFiles() {}

    static List<JsonRow> rows(Path userFile, String bundledName) {
        return userFile != null ? Datasets.readAll(userFile, row -> row) : bundled(bundledName);
    }

    /** An object-valued field as a row of its own, whose errors name {@code field.name}. */
    static JsonRow object(JsonRow row, String field) {
        JsonNode value = row.node().get(field);
        if (value == null || !value.isObject()) {
            throw row.error(field, value == null ? "missing" : "expected an object");
        }
        return new JsonRow((ObjectNode) value, row.location(), row.ordinal(), row.fieldPrefix() + field + ".");
    }

    private static List<JsonRow> bundled(String name) {
        String text;
        try (InputStream in = ProtocolFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled judge file missing from the classpath: " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + name, e);
        }
        List<JsonRow> rows = new ArrayList<>();
        String[] lines = text.split("\n");
        Path label = Path.of("(bundled)", name);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                rows.add(new JsonRow(parse(lines[i], label), Location.jsonl(label, i + 1), rows.size()));
            }
        }
        return rows;
    }

    private static ObjectNode parse(String line, Path label) {
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            return (ObjectNode) node;
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("the bundled " + label + " is corrupt", e);
        }
    }
}
