package org.instruct4j.teacher.tasks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;

/**
 * One model's responses to the instructions, keyed by instruction id: the output of
 * {@code generate answers} (or any Alpaca JSON/JSONL file, ids by position). The source name is the
 * rows' {@code model} field, or the file name when rows have none.
 */
public final class ResponseFile {
    private final Path file;
    private final Map<String, String> responses;
    private final String source;

    private ResponseFile(Path file, Map<String, String> responses, String source) {
        this.file = file;
        this.responses = responses;
        this.source = source;
    }

    public static ResponseFile read(Path file) {
        Map<String, String> responses = new HashMap<>();
        String model = null;
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                String id = row.id("id");
                if (responses.put(id, row.string("output")) != null) {
                    throw row.error("id", "duplicate id \"" + id + "\"");
                }
                if (model == null) {
                    model = row.optionalString("model", null);
                }
            }
        }
        return new ResponseFile(file, responses, model != null ? model : stem(file));
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    public Optional<String> responseTo(String instructionId) {
        return Optional.ofNullable(responses.get(instructionId));
    }

    public String source() {
        return source;
    }

    public Path file() {
        return file;
    }
}
