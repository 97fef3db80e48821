package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * The metadata file beside an output ({@code O.meta.json}): one entry per run of the job (a resumed
 * job adds a run), each with its settings, counts, token usage and estimated cost. Written atomically.
 * It holds the name of the key's environment variable, never the key.
 */
public final class RunMetadata {
    private RunMetadata() {}

    /** One run's entry: task, endpoint (no credentials), settings, times, counts, usage and cost. */
    public static ObjectNode describe(String task, String endpoint, ObjectNode settings, Instant started,
            JobResult result, UsageMeter usage) {
        ObjectNode run = Json.object();
        run.put("task", task);
        run.put("endpoint", endpoint);
        run.set("settings", settings);
        run.put("started_at", started.toString());
        run.put("finished_at", Instant.now().toString());
        ObjectNode counts = run.putObject("counts");
        counts.put("pending_at_start", result.pending());
        counts.put("already_done", result.alreadyDone());
        counts.put("succeeded", result.succeeded());
        counts.put("failed", result.failed());
        counts.put("truncated", result.truncated());
        counts.put("retries", result.retries());
        if (result.fatalError() != null) {
            run.put("stopped_by", result.fatalError());
        }
        run.set("usage", usage.toJson());
        return run;
    }

    public static void appendRun(Path file, ObjectNode run) {
        ObjectNode root = read(file);
        ArrayNode runs = root.withArray("runs");
        runs.add(run);
        AtomicFiles.writeString(file, root.toPrettyString() + "\n");
    }

    private static ObjectNode read(Path file) {
        if (!Files.exists(file)) {
            return Json.object();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException unreadable) {
            // a metadata file we cannot read is replaced rather than blocking the job
        }
        return Json.object();
    }
}
