package org.instruct4j.spark.generate;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.tasks.UnnaturalTask;

/** {@code generate unnatural}: {@link UnnaturalTask} over each partition's Unnatural Instructions rows. */
public record UnnaturalRecipe(String model, Sampling sampling) implements TaskRecipe {
    @Override
    public String name() {
        return "unnatural";
    }

    @Override
    public GenerationTask<?> open(Path rows, List<Path> sideFiles, Path workDir) {
        return UnnaturalTask.open(rows, 0, model, sampling);
    }
}
