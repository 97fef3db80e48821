package org.instruct4j.spark.generate;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.teacher.run.GenerationTask;

/**
 * How a generate command's task is built over a file of rows, so that the same stage code runs on the driver (to
 * check the input, count the work and assemble the output) and in every Spark partition (over that partition's
 * rows). Serializable, because Spark ships it to the executors; it holds settings only, never a key.
 */
public interface TaskRecipe extends Serializable {
    /** The rows file of a task's working directory: what the job runner appends to, and what {@code finish()} reads. */
    String ROWS_FILE = "rows.jsonl";
    /** Where a task that assembles its output ({@link #assembles()}) writes it in its working directory. */
    String ASSEMBLED_FILE = "assembled.jsonl";

    /** The task's name, e.g. "answers". */
    String name();

    /** Files every partition needs besides its rows (the ratings' response files), as the user named them. */
    default List<String> sideFiles() {
        return List.of();
    }

    /**
     * The task over {@code rows} (JSON Lines, every row with its id), checking them as the single-machine command
     * does. {@code sideFiles} are readable copies of {@link #sideFiles()}, in the same order; {@code workDir} holds
     * the task's working files ({@link #ROWS_FILE}, {@link #ASSEMBLED_FILE}).
     */
    GenerationTask<?> open(Path rows, List<Path> sideFiles, Path workDir);

    /**
     * Whether rows without an "id" get their 0-based position as their id when the input is staged (as the
     * generate commands number them); false for inputs that carry their own ids under another name (questions).
     */
    default boolean numbersRows() {
        return true;
    }

    /**
     * Whether the job's rows are working rows that the task's {@code finish()} assembles into the output (ratings
     * into comparison data), rather than the output itself.
     */
    default boolean assembles() {
        return false;
    }
}
