package org.instruct4j.teacher.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.Location;

/**
 * The batches of a job, kept beside its output ({@code O.batches.json}) and rewritten atomically after
 * every upload, batch creation, status change and merge, so a restarted process continues with the
 * batches already paid for instead of submitting them again. Not thread-safe: one runner owns it.
 */
final class BatchState {
    private final Path file;
    private final List<BatchRecord> records;

    private BatchState(Path file, List<BatchRecord> records) {
        this.file = file;
        this.records = records;
    }

    /** Reads the state; a file that cannot be read stops the job rather than risk paying twice. */
    static BatchState load(Path file) {
        List<BatchRecord> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return new BatchState(file, records);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new BadInputException(Location.file(file), null, "not readable as JSON (" + e.getMessage()
                    + "); it lists the batches already submitted, so fix or remove it knowing that removing it"
                    + " submits (and pays for) those requests again");
        }
        JsonNode batches = root == null ? null : root.get("batches");
        if (batches == null || !batches.isArray()) {
            throw new BadInputException(Location.file(file), "batches", "expected an array");
        }
        for (int i = 0; i < batches.size(); i++) {
            records.add(BatchRecord.fromJson(batches.get(i), file, i));
        }
        return new BatchState(file, records);
    }

    Path file() {
        return file;
    }

    List<BatchRecord> records() {
        return List.copyOf(records);
    }

    /** Adds a record, or replaces the one with the same chunk number, and saves. */
    void put(BatchRecord record) {
        records.removeIf(r -> r.chunk() == record.chunk());
        records.add(record);
        records.sort((a, b) -> Integer.compare(a.chunk(), b.chunk()));
        save();
    }

    void remove(BatchRecord record) {
        records.removeIf(r -> r.chunk() == record.chunk());
        save();
    }

    int nextChunk() {
        return records.stream().mapToInt(BatchRecord::chunk).max().orElse(0) + 1;
    }

    /** Ids in batches whose results are not merged yet: submitted, so not to be sent again. */
    Set<String> submittedIds() {
        Set<String> ids = new HashSet<>();
        records.stream().filter(r -> !r.collected()).forEach(r -> ids.addAll(r.customIds()));
        return ids;
    }

    Set<String> batchIds() {
        Set<String> ids = new HashSet<>();
        records.stream().filter(BatchRecord::hasBatch).forEach(r -> ids.add(r.batchId()));
        return ids;
    }

    private void save() {
        ObjectNode root = Json.object();
        ArrayNode batches = root.putArray("batches");
        records.forEach(r -> batches.add(r.toJson()));
        AtomicFiles.writeString(file, root.toPrettyString() + "\n");
    }
}
