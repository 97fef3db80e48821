package org.instruct4j.spark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.spark.generate.TranslateRecipe;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.tasks.TranslateTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "translate", mixinStandardHelpOptions = true,
        description = {"generate translate as a Spark job: instructions and inputs translated, protected text kept intact.",
            "Output rows: {id, instruction, input, source_instruction, source_input, model, truncated}."})
final class SparkTranslateCommand extends SparkTeacherCommand {
    @Mixin
    GenerateIo io;

    @Option(names = "--target-language", defaultValue = "zh", paramLabel = "LANG",
            description = "Language code (zh, zh-tw, ja, ko, fr, de, es, ru, pt, en) or a language name (default: ${DEFAULT-VALUE}).")
    String targetLanguage;

    @Override
    public Integer call() {
        Sampling sampling = samplingOptions.resolve(TranslateTask.DEFAULTS);
        ObjectNode settings = teacher.settings(sampling);
        settings.put("target_language", targetLanguage);
        return SparkGenerate.run(spec.commandLine().getErr(), io, teacher, sparkOptions,
                new TranslateRecipe(teacher.model(), sampling, targetLanguage), settings);
    }
}
