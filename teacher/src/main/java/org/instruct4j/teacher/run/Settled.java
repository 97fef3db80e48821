package org.instruct4j.teacher.run;

import java.util.HashSet;
import java.util.Set;
import org.instruct4j.core.io.JsonlAppender;

/**
 * What the earlier runs of a job settled: the ids that have their row, and those only in the failures file, which a
 * run skips (unless {@code --retry-failed} emptied that file) and counts as still missing.
 */
public final class Settled {
    private final Set<String> done;
    private final Set<String> failedBefore;

    private Settled(Set<String> done, Set<String> failedBefore) {
        this.done = done;
        this.failedBefore = failedBefore;
    }

    /** Read off the job's open output and failures files. */
    public static Settled of(JsonlAppender out, JsonlAppender failures) {
        Set<String> failedBefore = new HashSet<>(failures.ids());
        Set<String> done = out.ids();
        failedBefore.removeAll(done);
        return new Settled(done, failedBefore);
    }

    /** Rows the output already holds. */
    public long alreadyDone() {
        return done.size();
    }

    /** Whether the id failed in an earlier run and has no row. */
    public boolean failedBefore(String id) {
        return failedBefore.contains(id);
    }

    /** Whether this run leaves the id alone: it has a row, or it failed before. */
    public boolean contains(String id) {
        return done.contains(id) || failedBefore.contains(id);
    }
}
