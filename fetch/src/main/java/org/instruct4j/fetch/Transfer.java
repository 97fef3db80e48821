package org.instruct4j.fetch;

/** Hears how a download advances, to show progress; called from the downloading thread. */
public interface Transfer {
    /** {@code total} bytes of {@code label} are wanted (-1 when unknown), {@code resumedAt} of them are already here. */
    void started(String label, long total, long resumedAt);

    /** {@code bytes} more arrived. */
    void advanced(long bytes);

    /** The transfer ended, complete or not. */
    void finished();

    /** Shows nothing. */
    Transfer NONE = new Transfer() {
        @Override
        public void started(String label, long total, long resumedAt) {}

        @Override
        public void advanced(long bytes) {}

        @Override
        public void finished() {}
    };
}
