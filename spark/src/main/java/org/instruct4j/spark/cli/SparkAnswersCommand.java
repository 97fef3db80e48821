package org.instruct4j.spark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.instruct4j.spark.generate.AnswersRecipe;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.tasks.Language;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "answers", mixinStandardHelpOptions = true,
        description = {"generate answers as a Spark job: the teacher answers each instruction (+input) with the Alpaca template.",
            "Output rows: {id, instruction, input, output, model, truncated}. Rerun the same command to resume."})
final class SparkAnswersCommand extends SparkTeacherCommand {
    @Mixin
    GenerateIo io;

    @Option(names = "--language", defaultValue = "en", paramLabel = "en|zh", description = "Language of the answers (default: ${DEFAULT-VALUE}).")
    String language;

    @Override
    public Integer call() {
        Language lang = Language.parse(language);
        Sampling sampling = samplingOptions.resolve(Sampling.PAPER_DEFAULTS);
        ObjectNode settings = teacher.settings(sampling);
        settings.put("language", lang.name().toLowerCase(Locale.ROOT));
        return SparkGenerate.run(spec.commandLine().getErr(), io, teacher, sparkOptions,
                new AnswersRecipe(teacher.model(), sampling, lang), settings);
    }
}
