package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;

/**
 * The failures file beside an output ({@code O.failures.jsonl}): one record per id that could not be
 * answered, shared by the live runner and the Batch API runner so both write and tidy it the same way.
 */
public final class Failures {
    private Failures() {}

    /** A failure record: {@code {id, error, attempts, failed_at}}. */
    public static ObjectNode row(String id, String reason, int attempts) {
        ObjectNode row = Json.object();
        row.put("id", id);
        row.put("error", reason);
        row.put("attempts", attempts);
        row.put("failed_at", Instant.now().toString());
        return row;
    }

    /** Drops failure records of ids that have since succeeded; deletes the file when nothing failed. */
    public static void compact(JobFiles files) {
        Path failuresFile = files.failures();
        try {
            if (!Files.exists(failuresFile)) {
                return;
            }
            if (Files.size(failuresFile) == 0) {
                Files.delete(failuresFile);
                return;
            }
            Set<String> succeeded = Files.size(files.rows()) == 0 ? Set.of()
                    : new HashSet<>(Datasets.readAll(files.rows(), row -> row.id("id")));
            StringBuilder kept = new StringBuilder();
            boolean changed = false;
            for (ObjectNode row : Datasets.readAll(failuresFile, r -> r.node())) {
                if (succeeded.contains(row.get("id").asText())) {
                    changed = true;
                } else {
                    kept.append(Json.line(row)).append('\n');
                }
            }
            if (changed) {
                AtomicFiles.writeString(failuresFile, kept.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
