package org.instruct4j.core.io;

import java.nio.file.Path;

/**
 * Where a row came from: a file and a 1-based line, plus the 0-based array index for JSON arrays
 * (-1 for JSONL, where the line identifies the row). Rendered the way editors and compilers do:
 * {@code data.jsonl:12} or {@code data.json:[41] (line 380)}; a row of a columnar file (Parquet), which has no
 * lines, as {@code part-0.parquet:[41]}.
 */
public record Location(Path file, long line, long index) {
    public static Location jsonl(Path file, long line) {
        return new Location(file, line, -1);
    }

    public static Location arrayItem(Path file, long index, long line) {
        return new Location(file, line, index);
    }

    /** The 0-based row of a file without lines (Parquet). */
    public static Location tableRow(Path file, long row) {
        return new Location(file, 0, row);
    }

    public static Location file(Path file) {
        return new Location(file, 0, -1);
    }

    @Override
    public String toString() {
        if (index >= 0) {
            return file + ":[" + index + "]" + (line > 0 ? " (line " + line + ")" : "");
        }
        return line > 0 ? file + ":" + line : file.toString();
    }
}
