package org.instruct4j.cli.data;

import org.instruct4j.core.progress.Progress;
import org.instruct4j.fetch.Transfer;

/** A download's progress on stderr in MB, with rate and ETA, unless quiet. */
final class TransferProgress implements Transfer {
    private static final long MB = 1_000_000;
    private final boolean quiet;
    private Progress bar;
    private long done;

    TransferProgress(boolean quiet) {
        this.quiet = quiet;
    }

    @Override
    public void started(String label, long total, long resumedAt) {
        bar = Progress.create(label, total, "MB", MB, quiet);
        done = resumedAt;
        bar.stepTo(done);
    }

    @Override
    public void advanced(long bytes) {
        done += bytes;
        bar.stepTo(done);
    }

    @Override
    public void finished() {
        bar.close();
    }
}
