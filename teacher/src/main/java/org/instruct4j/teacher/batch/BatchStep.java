package org.instruct4j.teacher.batch;

/**
 * The points of a Batch API job after which its progress is durable or about to be: tests stop the
 * job at each of them to prove that a restart neither loses nor pays for anything twice.
 */
enum BatchStep {
    /** An input file was uploaded, not yet recorded in the state file. */
    UPLOADED,
    /** The upload is recorded; no batch exists for it yet. */
    UPLOAD_RECORDED,
    /** The batch was created (or found), not yet recorded. */
    BATCH_CREATED,
    /** The batch is recorded. */
    BATCH_RECORDED,
    /** One result line of a finished batch was merged into the output or failures file. */
    RESULT_MERGED,
    /** Every result of a batch is merged; the batch is not yet marked as merged. */
    RESULTS_MERGED
}
