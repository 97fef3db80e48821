package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageJournal;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * The metadata file beside an output ({@code O.meta.json}): one entry per run of the job (a resumed
 * job adds a run), each with its settings, counts, token usage and estimated cost. Written atomically.
 * It holds the name of the key's environment variable, never the key. A run's usage reaches it through
 * {@link RunRecord}, which journals it as it accrues.
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
        counts.put("failed_in_earlier_runs", result.failedEarlier());
        counts.put("unanswered", result.unanswered());
        if (result.fatalError() != null) {
            run.put("stopped_by", result.fatalError());
        } else if (result.pausedBy() != null) {
            run.put("stopped_by", result.pausedBy());
        }
        run.set("usage", usage.toJson());
        return run;
    }

    /**
     * Folds the usage journal a run left behind (it was killed, or failed) into the metadata as an entry of its own,
     * unless the metadata already holds that run, then removes the journal.
     */
    static void foldLeftoverJournal(JobFiles files, PriceTable prices) {
        Path journal = files.usageJournal();
        UsageJournal.read(journal, prices).ifPresent(left -> {
            String runId = left.run().path("run_id").asText();
            boolean recorded = false;
            for (JsonNode run : read(files.metadata()).path("runs")) {
                recorded |= runId.equals(run.path("run_id").asText());
            }
            if (!recorded) {
                ObjectNode run = left.run().deepCopy();
                run.remove("price_factor");
                run.putNull("finished_at");
                run.put("stopped_by", "the process ended before the run did (killed, or it failed); usage recovered from "
                        + journal.getFileName());
                run.set("usage", left.usage().toJson());
                appendRun(files.metadata(), run);
            }
        });
        try {
            Files.deleteIfExists(journal);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + journal + ": " + e.getMessage(), e);
        }
    }

    /**
     * What every run recorded in {@code file} cost, from the tokens each used, priced by {@code prices}; NaN when a
     * model has no price there.
     */
    public static double spent(Path file, PriceTable prices) {
        double total = 0;
        for (JsonNode run : read(file).path("runs")) {
            JsonNode usage = run.path("usage");
            UsageMeter meter = new UsageMeter(prices, usage.path("price_factor").asDouble(1.0));
            usage.path("models").fields().forEachRemaining(model -> meter.add(model.getKey(),
                    model.getValue().path("requests").asLong(), model.getValue().path("prompt_tokens").asLong(),
                    model.getValue().path("completion_tokens").asLong()));
            total += meter.estimatedCost();
        }
        return total;
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
