package org.instruct4j.cli;

import java.util.List;
import org.instruct4j.teacher.run.JobFiles;

/**
 * The files a command writes beside an output, as globs in the output's directory: {@code {stem}} is the output's
 * name without its extension, {@code {name}} its whole name.
 */
public enum Beside {
    /** A teacher job's failures, run metadata, usage journal, Batch API state and uploads ({@code O.failures.jsonl}, ...). */
    TEACHER_JOB(JobFiles.BESIDE_OUTPUT),
    /** The ratings a ratings job keeps as they arrive. */
    RATINGS(List.of("{stem}.ratings.jsonl")),
    /** The n samples of best-of-n answering. */
    SAMPLES(List.of("{stem}.samples.jsonl")),
    /** One PNG per chart of an HTML report ({@code report-1.png}, {@code report-top-pairs.png}). */
    CHARTS(List.of("{stem}-*.png")),
    /** The single PNG of a plot ({@code loss.png} beside {@code loss.html}). */
    PLOT(List.of("{stem}.png")),
    /** A Spark job's failures directory, run metadata, working rows and totals ({@code O.failures/}, ...). */
    SPARK_JOB(List.of("{name}.failures", "{name}.meta.json", "{name}.ratings", "{name}.result.json"));

    private final List<String> globs;

    Beside(List<String> globs) {
        this.globs = globs;
    }

    List<String> globs() {
        return globs;
    }
}
