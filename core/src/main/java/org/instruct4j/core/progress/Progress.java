package org.instruct4j.core.progress;

import java.text.DecimalFormat;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of a long job on stderr: done/total, rate, ETA and an extra status (retries, failures). */
public interface Progress extends AutoCloseable {
    void step();

    /** Sets the done count, for work reported in totals (for example a batch's finished requests). */
    void stepTo(long done);

    void status(String text);

    @Override
    void close();

    static Progress create(String task, long total, String unit, boolean quiet) {
        return create(task, total, unit, 1, quiet);
    }

    /** Counts in units of {@code unitSize} (bytes shown in MB, say); {@code total} -1 when unknown. */
    static Progress create(String task, long total, String unit, long unitSize, boolean quiet) {
        if (quiet) {
            return new Progress() {
                @Override
                public void step() {}

                @Override
                public void stepTo(long done) {}

                @Override
                public void status(String text) {}

                @Override
                public void close() {}
            };
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, unitSize)
                .showSpeed(new DecimalFormat("0.0##")) // slow steps (a training step can take seconds) show as 0.09, not .0
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(140)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        return new Progress() {
            @Override
            public void step() {
                bar.step();
            }

            @Override
            public void stepTo(long done) {
                bar.stepTo(done);
            }

            @Override
            public void status(String text) {
                bar.setExtraMessage(" " + text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
