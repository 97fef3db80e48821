package org.instruct4j.spark.generate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.instruct4j.teacher.run.JobResult;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;

/** The partitions' summaries of one run added up: what the whole job did and what it used. */
record RunSummary(JobResult result, UsageMeter usage) {

    /**
     * @param summaries each partition's run entry ({@code counts}, {@code usage}, {@code stopped_by})
     * @param pending the requests the run set out to make; {@code alreadyDone} the rows the output held;
     *     {@code failedEarlier} the rows skipped because an earlier run recorded them as failed
     */
    static RunSummary of(Iterable<JsonNode> summaries, long pending, long alreadyDone, long failedEarlier, PriceTable prices) {
        long succeeded = 0;
        long failed = 0;
        long truncated = 0;
        long retries = 0;
        String stoppedBy = null;
        UsageMeter usage = new UsageMeter(prices, 1.0);
        for (JsonNode summary : summaries) {
            JsonNode counts = summary.path("counts");
            succeeded += counts.path("succeeded").asLong();
            failed += counts.path("failed").asLong();
            truncated += counts.path("truncated").asLong();
            retries += counts.path("retries").asLong();
            if (stoppedBy == null && summary.hasNonNull("stopped_by")) {
                stoppedBy = summary.get("stopped_by").asText();
            }
            for (Iterator<Map.Entry<String, JsonNode>> models = summary.path("usage").path("models").fields(); models.hasNext(); ) {
                Map.Entry<String, JsonNode> model = models.next();
                usage.add(model.getKey(), model.getValue().path("requests").asLong(), model.getValue().path("prompt_tokens").asLong(),
                        model.getValue().path("completion_tokens").asLong());
            }
        }
        return new RunSummary(new JobResult(pending, alreadyDone, succeeded, failed, truncated, retries, failedEarlier, stoppedBy,
                null), usage);
    }
}
