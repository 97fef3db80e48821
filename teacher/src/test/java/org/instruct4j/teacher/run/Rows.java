package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.JsonRow;

/** Small JSONL fixtures and the rows a job wrote. */
public final class Rows {
    private Rows() {}

    /** Every row of a JSONL or JSON file; fails on a torn or invalid line. */
    public static List<ObjectNode> read(Path file) {
        return Datasets.readAll(file, JsonRow::node);
    }

    /** Rows by their "id", failing if an id appears twice. */
    public static Map<String, ObjectNode> byId(Path file) {
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        for (ObjectNode row : read(file)) {
            ObjectNode earlier = rows.put(row.get("id").asText(), row);
            if (earlier != null) {
                throw new AssertionError("id " + row.get("id") + " appears twice in " + file);
            }
        }
        return rows;
    }

    /** Writes {@code lines}, each followed by a newline. */
    public static Path write(Path file, String... lines) {
        return writeRaw(file, String.join("\n", lines) + "\n");
    }

    public static Path writeRaw(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
