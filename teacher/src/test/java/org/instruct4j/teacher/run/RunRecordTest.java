package org.instruct4j.teacher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's usage is journaled as it accrues, so a run that never finished still has its accounting in the metadata. */
class RunRecordTest {
    @TempDir
    Path dir;

    private JobFiles files() {
        return JobFiles.forOutput(dir.resolve("out.jsonl"));
    }

    private static UsageMeter meter() {
        return new UsageMeter(PriceTable.defaults(), 1.0);
    }

    private static JobResult nothing() {
        return new JobResult(0, 0, 0, 0, 0, 0, 0, null, null);
    }

    @Test
    void theNextRunFoldsTheUsageOfARunThatNeverFinished() throws IOException {
        JobFiles job = files();
        UsageMeter killed = meter();
        RunRecord record = RunRecord.start(job, "answers", "http://127.0.0.1:1/v1", FakeTeacher.settings(), killed);
        killed.record("gpt-4", 100, 50);
        killed.record("gpt-4", 10, 5);
        record.close(); // the process ends here, before its run is written; kill -9 may also cut the last line:
        Files.writeString(job.usageJournal(), "{\"model\":\"gpt-4\",\"prompt_tok", StandardOpenOption.APPEND);

        UsageMeter next = meter();
        RunRecord again = RunRecord.start(job, "answers", "http://127.0.0.1:1/v1", FakeTeacher.settings(), next);
        JsonNode recovered = Json.MAPPER.readTree(job.metadata().toFile()).get("runs").get(0);
        assertThat(recovered.get("stopped_by").asText()).contains("usage recovered from out.usage.jsonl");
        assertThat(recovered.get("settings")).isEqualTo(FakeTeacher.settings());
        JsonNode gpt4 = recovered.get("usage").get("models").get("gpt-4");
        assertThat(gpt4.get("requests").asLong()).isEqualTo(2);
        assertThat(gpt4.get("prompt_tokens").asLong()).isEqualTo(110);
        assertThat(gpt4.get("completion_tokens").asLong()).isEqualTo(55);
        double cost = (110 * 30 + 55 * 60) / 1e6;
        assertThat(recovered.get("usage").get("estimated_cost_usd").asDouble()).isCloseTo(cost, within(1e-9));
        assertThat(again.spentBefore()).isCloseTo(cost, within(1e-9));

        next.record("gpt-4", 1, 1);
        again.finish(RunMetadata.describe("answers", "http://127.0.0.1:1/v1", FakeTeacher.settings(), Instant.now(), nothing(), next));
        assertThat(job.usageJournal()).doesNotExist();
        assertThat(Json.MAPPER.readTree(job.metadata().toFile()).get("runs")).hasSize(2);
        assertThat(RunMetadata.spent(job.metadata(), PriceTable.defaults())).isCloseTo(cost + 90 / 1e6, within(1e-9));
    }

    @Test
    void aJournalWhoseRunIsAlreadyInTheMetadataIsNotCountedTwice() throws IOException {
        JobFiles job = files();
        UsageMeter usage = meter();
        RunRecord record = RunRecord.start(job, "answers", "http://127.0.0.1:1/v1", FakeTeacher.settings(), usage);
        usage.record("gpt-4", 100, 50);
        byte[] journal = Files.readAllBytes(job.usageJournal());
        record.finish(RunMetadata.describe("answers", "http://127.0.0.1:1/v1", FakeTeacher.settings(), Instant.now(), nothing(), usage));
        // killed between writing the metadata and removing the journal
        Files.write(job.usageJournal(), journal);

        RunRecord.start(job, "answers", "http://127.0.0.1:1/v1", FakeTeacher.settings(), meter()).close();
        assertThat(Json.MAPPER.readTree(job.metadata().toFile()).get("runs")).hasSize(1);
    }
}
