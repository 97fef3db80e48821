package org.instruct4j.teacher.run;

/** What one run of a job did. {@code fatalError} is set when the run stopped early (bad key, unknown model). */
public record JobResult(long pending, long alreadyDone, long succeeded, long failed, long truncated, long retries,
        String fatalError) {

    public boolean ok() {
        return fatalError == null;
    }
}
