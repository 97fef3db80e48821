package org.instruct4j.teacher.run;

import java.nio.file.Path;

/**
 * The files of a job: the rows it appends (usually the user's output), the failures beside the
 * output ({@code O.failures.jsonl}) and the run metadata ({@code O.meta.json}).
 */
public record JobFiles(Path rows, Path failures, Path metadata) {

    /** The usual layout: rows go straight into {@code output}. */
    public static JobFiles forOutput(Path output) {
        return withRows(output, output);
    }

    /** Rows go to a working file and are assembled into {@code output} by the task (ratings). */
    public static JobFiles withRows(Path output, Path rows) {
        return new JobFiles(rows, sibling(output, ".failures.jsonl"), sibling(output, ".meta.json"));
    }

    /** The output's name without its extension ({@code out} for {@code out.jsonl}), read off the metadata file. */
    public String stem() {
        String name = metadata.getFileName().toString();
        return name.substring(0, name.length() - ".meta.json".length());
    }

    /** Another file of the job beside the output: {@code out<suffix>}. */
    public Path related(String suffix) {
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
