package org.instruct4j.cli.generate;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.TranslateTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "translate", mixinStandardHelpOptions = true,
        description = {"Translates instructions and inputs (code, numbers, URLs and placeholders kept intact; rows keep their id).",
            "Output rows: {id, instruction, input, source_instruction, source_input, model, truncated}."})
final class TranslateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Instructions: Alpaca JSON array or JSONL.")
    Path input;

    @Writes(beside = Beside.TEACHER_JOB)
    @Option(names = "--output", required = true, paramLabel = "O.jsonl", description = "Output JSONL (appended; resumable).")
    Path output;

    @Option(names = "--target-language", defaultValue = "zh", paramLabel = "LANG",
            description = "Language code (zh, zh-tw, ja, ko, fr, de, es, ru, pt, en) or a language name (default: ${DEFAULT-VALUE}).")
    String targetLanguage;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N rows (0 = all).")
    long limit;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Override
    public Integer call() {
        Sampling sampling = samplingOptions.resolve(TranslateTask.DEFAULTS);
        InstructionInput rows = InstructionInput.open(input, limit);
        var settings = TeacherJob.settings(teacher, sampling);
        settings.put("input", input.toString());
        settings.put("target_language", targetLanguage);
        return TeacherJob.run(teacher, new TranslateTask(rows, teacher.model(), sampling, targetLanguage), JobFiles.forOutput(output),
                settings, spec.commandLine().getErr());
    }
}
