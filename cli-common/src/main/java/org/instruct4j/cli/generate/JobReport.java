package org.instruct4j.cli.generate;

import java.io.PrintWriter;
import org.instruct4j.teacher.run.JobResult;

/**
 * How every command that runs a teacher job ends, on one machine or on Spark: the counts, the usage, what is missing
 * from the output and what to do about it, and the exit code: 1 when the run stopped for good, 3 when rows are
 * missing (failed in this run or an earlier one, or still pending), 0 when the output is complete. A script that
 * reruns a command until it exits 0 therefore never stops with an incomplete dataset.
 */
public final class JobReport {
    /** Exit code when the job ended but rows are missing from its output. */
    public static final int ROWS_MISSING = 3;
    private static final int STOPPED = 1;

    private JobReport() {}

    /** Prints the outcome of job {@code name} on {@code err} and returns the command's exit code. */
    public static int print(String name, JobResult result, String usage, Object rows, Object failures, PrintWriter err) {
        err.printf("%s: %,d new rows, %,d already done, %,d failed, %,d truncated, %,d retries -> %s%n",
                name, result.succeeded(), result.alreadyDone(), result.failed(), result.truncated(), result.retries(), rows);
        err.println(usage);
        if (result.failed() > 0) {
            err.printf("failed in this run: %,d row(s), recorded in %s; rerun with --retry-failed to try them again%n",
                    result.failed(), failures);
        }
        if (result.failedEarlier() > 0) {
            err.printf("still only in %s: %,d row(s) that failed in an earlier run and were skipped; rerun with"
                    + " --retry-failed to try them again%n", failures, result.failedEarlier());
        }
        if (result.pausedBy() != null) {
            err.printf("stopped before the end: %s; %,d row(s) not done stay pending: raise --max-cost and run the same"
                    + " command again to continue%n", result.pausedBy(), result.unanswered());
        } else if (result.ok() && result.unanswered() > 0) {
            err.printf("no result for %,d request(s): their batch expired, was cancelled or ended without one; they stay"
                    + " pending: run the same command again to send them%n", result.unanswered());
        }
        if (!result.ok()) {
            err.println("stopped early: " + result.fatalError());
        }
        err.flush();
        if (!result.ok()) {
            return STOPPED;
        }
        return result.incomplete() ? ROWS_MISSING : 0;
    }
}
