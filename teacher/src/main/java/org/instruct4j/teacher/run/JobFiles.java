package org.instruct4j.teacher.run;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of a job: the rows it appends (usually the user's output), the failures beside the
 * output ({@code O.failures.jsonl}) and the run metadata ({@code O.meta.json}); beside them the usage journal of the
 * run in progress ({@code O.usage.jsonl}) and, for the Batch API, its state ({@code O.batches.json}) and the upload
 * being written ({@code .O.batch-*.jsonl}).
 */
public record JobFiles(Path rows, Path failures, Path metadata) {
    private static final String FAILURES = ".failures.jsonl";
    private static final String METADATA = ".meta.json";
    private static final String USAGE = ".usage.jsonl";
    private static final String BATCHES = ".batches.json";
    private static final String UPLOAD = ".batch-";

    /** Every file a job may write beside its output {@code O.jsonl}, as globs ({@code {stem}} is {@code O}). */
    public static final List<String> BESIDE_OUTPUT = List.of("{stem}" + FAILURES, "{stem}" + METADATA, "{stem}" + USAGE,
            "{stem}" + BATCHES, ".{stem}" + UPLOAD + "*.jsonl");

    /** The usual layout: rows go straight into {@code output}. */
    public static JobFiles forOutput(Path output) {
        return withRows(output, output);
    }

    /** Rows go to a working file and are assembled into {@code output} by the task (ratings). */
    public static JobFiles withRows(Path output, Path rows) {
        return new JobFiles(rows, sibling(output, FAILURES), sibling(output, METADATA));
    }

    /** The output's name without its extension ({@code out} for {@code out.jsonl}), read off the metadata file. */
    public String stem() {
        String name = metadata.getFileName().toString();
        return name.substring(0, name.length() - METADATA.length());
    }

    /** The usage journal of the run in progress: a line per paid reply, folded into the metadata when the run ends. */
    public Path usageJournal() {
        return related(USAGE);
    }

    /** The Batch API state: the batches submitted and whether their results were merged. */
    public Path batchState() {
        return related(BATCHES);
    }

    /** The start of the name of a Batch API upload being written, hidden beside the output ({@code .O.batch-}). */
    public String uploadPrefix() {
        return "." + stem() + UPLOAD;
    }

    /** Another file of the job beside the output: {@code out<suffix>}. */
    private Path related(String suffix) {
        return metadata.resolveSibling(stem() + suffix);
    }

    /** {@code out.jsonl} -> {@code out<suffix>}: the output's name without its extension, plus a suffix. */
    public static Path sibling(Path output, String suffix) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return output.resolveSibling(stem + suffix);
    }
}
