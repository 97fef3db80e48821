package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.UUID;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.usage.UsageJournal;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * One run of a job in its metadata ({@code O.meta.json}), kept from its start: the usage goes to a journal
 * ({@code O.usage.jsonl}) as it accrues, and the run's entry is written when it ends. A run that never got there
 * (killed, or its disk filled up) leaves its journal, which the next run of the job folds into the metadata before
 * anything else, so a killed run loses at most the accounting of the requests it had in flight.
 *
 * <p>Start and finish it while holding the job's output lock, so that no other process takes a live journal for a
 * leftover.
 */
public final class RunRecord implements AutoCloseable {
    private final JobFiles files;
    private final UsageMeter usage;
    private final UsageJournal journal;
    private final String runId;
    private final double spentBefore;

    private RunRecord(JobFiles files, UsageMeter usage, UsageJournal journal, String runId, double spentBefore) {
        this.files = files;
        this.usage = usage;
        this.journal = journal;
        this.runId = runId;
        this.spentBefore = spentBefore;
    }

    /** Folds a journal an earlier run left, then starts journaling the usage {@code usage} records. */
    public static RunRecord start(JobFiles files, String task, String endpoint, ObjectNode settings, UsageMeter usage) {
        RunMetadata.foldLeftoverJournal(files, usage.prices());
        double spentBefore = RunMetadata.spent(files.metadata(), usage.prices());
        String runId = UUID.randomUUID().toString();
        ObjectNode run = Json.object();
        run.put("run_id", runId);
        run.put("task", task);
        run.put("endpoint", endpoint);
        run.set("settings", settings);
        run.put("started_at", Instant.now().toString());
        run.put("price_factor", usage.priceFactor());
        UsageJournal journal = UsageJournal.start(files.usageJournal(), run);
        usage.journalTo(journal);
        return new RunRecord(files, usage, journal, runId, spentBefore);
    }

    /** What the earlier runs of the job cost, priced as now (NaN when a model has no price). */
    public double spentBefore() {
        return spentBefore;
    }

    /** Writes the run's entry into the metadata and drops the journal, whose usage the entry now holds. */
    public void finish(ObjectNode run) {
        run.put("run_id", runId);
        RunMetadata.appendRun(files.metadata(), run);
        close();
        try {
            Files.deleteIfExists(journal.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + journal.file() + ": " + e.getMessage(), e);
        }
    }

    /** Stops journaling; a run that did not finish leaves its journal for the next run to fold. */
    @Override
    public void close() {
        usage.journalTo(null);
        journal.close();
    }
}
