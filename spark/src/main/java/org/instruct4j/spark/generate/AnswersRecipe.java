package org.instruct4j.spark.generate;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;

/** {@code generate answers}: {@link AnswerTask} over each partition's instructions. */
public record AnswersRecipe(String model, Sampling sampling, Language language) implements TaskRecipe {
    @Override
    public String name() {
        return "answers";
    }

    @Override
    public GenerationTask<?> open(Path rows, List<Path> sideFiles, Path workDir) {
        return new AnswerTask(InstructionInput.open(rows, 0), model, sampling, language);
    }
}
