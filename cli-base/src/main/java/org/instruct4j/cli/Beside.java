package org.instruct4j.cli;

import java.util.List;

/**
 * The files a command writes beside an output, as globs in the output's directory: {@code {stem}} is the output's
 * name without its extension, {@code {name}} its whole name.
 */
public enum Beside {
    /**
     * A teacher job's failures, run metadata, usage journal, Batch API state and uploads ({@code O.failures.jsonl},
     * ...): the teacher's {@code JobFiles.BESIDE_OUTPUT}, which a test holds this list to (this module does not
     * depend on the teacher).
     */
    TEACHER_JOB(List.of("{stem}.failures.jsonl", "{stem}.meta.json", "{stem}.usage.jsonl", "{stem}.batches.json",
            ".{stem}.batch-*.jsonl")),
    /** The ratings a ratings job keeps as they arrive. */
    RATINGS(List.of("{stem}.ratings.jsonl")),
    /** The turns of conversations answered turn by turn (MT-bench). */
    TURNS(List.of("{stem}.turns.jsonl")),
    /** The games of pairwise MT-bench judging, both orders of each pair. */
    GAMES(List.of("{stem}.games.jsonl")),
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

    public List<String> globs() {
        return globs;
    }
}
