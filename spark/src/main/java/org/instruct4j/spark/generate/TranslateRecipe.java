package org.instruct4j.spark.generate;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.TranslateTask;

/** {@code generate translate}: {@link TranslateTask} over each partition's instructions. */
public record TranslateRecipe(String model, Sampling sampling, String targetLanguage) implements TaskRecipe {
    @Override
    public String name() {
        return "translate";
    }

    @Override
    public GenerationTask<?> open(Path rows, List<Path> sideFiles, Path workDir) {
        return new TranslateTask(InstructionInput.open(rows, 0), model, sampling, targetLanguage);
    }
}
