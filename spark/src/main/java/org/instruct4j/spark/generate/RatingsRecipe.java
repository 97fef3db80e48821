package org.instruct4j.spark.generate;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.RatingTask;
import org.instruct4j.teacher.tasks.ResponseFile;

/**
 * {@code generate ratings}: {@link RatingTask} over each partition's instructions, every partition reading all the
 * response files. The job's rows are the single ratings; the driver assembles them into comparison data v2.
 */
public record RatingsRecipe(String model, Sampling sampling, List<String> responseFiles) implements TaskRecipe {
    public RatingsRecipe {
        responseFiles = List.copyOf(responseFiles);
    }

    @Override
    public String name() {
        return "ratings";
    }

    @Override
    public List<String> sideFiles() {
        return responseFiles;
    }

    @Override
    public GenerationTask<?> open(Path rows, List<Path> sideFiles, Path workDir) {
        List<ResponseFile> responses = sideFiles.stream().map(ResponseFile::read).toList();
        return new RatingTask(InstructionInput.open(rows, 0), responses, model, sampling, workDir.resolve(ROWS_FILE),
                workDir.resolve(ASSEMBLED_FILE));
    }

    @Override
    public boolean assembles() {
        return true;
    }
}
