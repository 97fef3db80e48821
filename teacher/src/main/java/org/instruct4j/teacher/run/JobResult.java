package org.instruct4j.teacher.run;

/**
 * What one run of a job did. {@code failedEarlier} counts the rows still only in the failures file from an earlier
 * run (skipped: {@code --retry-failed} retries them); {@code fatalError} is set when the run stopped early for good
 * (bad key, unknown model), {@code pausedBy} when it stopped before its end but can go on (the budget was reached).
 */
public record JobResult(long pending, long alreadyDone, long succeeded, long failed, long truncated, long retries,
        long failedEarlier, String fatalError, String pausedBy) {

    public boolean ok() {
        return fatalError == null;
    }

    /** Requests of this run that got no result (not sent, or their batch ended without one): they stay pending. */
    public long unanswered() {
        return pending - succeeded - failed;
    }

    /** Whether rows of the job are missing from the output: failed now or before, or still pending. */
    public boolean incomplete() {
        return failed > 0 || failedEarlier > 0 || unanswered() > 0;
    }
}
