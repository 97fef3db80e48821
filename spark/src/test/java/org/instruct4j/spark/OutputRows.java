package org.instruct4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;

/** Reads what a job wrote: JSON Lines files and directories of JSON Lines part files, keyed by id. */
public final class OutputRows {
    private OutputRows() {}

    /** Every row of a JSONL file or of the part files of a directory, in file order. */
    public static List<ObjectNode> rows(Path fileOrDirectory) {
        List<ObjectNode> rows = new ArrayList<>();
        for (Path file : files(fileOrDirectory)) {
            if (sizeOf(file) > 0) {
                rows.addAll(Datasets.readAll(file, row -> row.node()));
            }
        }
        return rows;
    }

    /** The rows by id; fails on a duplicate id. */
    public static Map<String, ObjectNode> byId(Path fileOrDirectory) {
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        for (ObjectNode row : rows(fileOrDirectory)) {
            ObjectNode previous = byId.put(row.get("id").asText(), row);
            assertThat(previous).as("a second row with id %s in %s", row.get("id"), fileOrDirectory).isNull();
        }
        return byId;
    }

    /** The data files of a directory (not hidden: no "_" or "." first), or the file itself. */
    public static List<Path> files(Path fileOrDirectory) {
        if (!Files.isDirectory(fileOrDirectory)) {
            return Files.exists(fileOrDirectory) ? List.of(fileOrDirectory) : List.of();
        }
        try (Stream<Path> listing = Files.list(fileOrDirectory)) {
            return listing.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("_") && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String line(ObjectNode row) {
        return Json.line(row);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
