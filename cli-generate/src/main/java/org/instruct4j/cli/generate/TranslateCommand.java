package org.instruct4j.cli.generate;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.tasks.FastChatTranslateTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.TranslateTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "translate", mixinStandardHelpOptions = true,
        description = {"Translates instructions, or FastChat questions and answers (code, numbers, URLs and placeholders kept intact).",
            "Alpaca rows give {id, instruction, input, source_instruction, source_input, model, truncated}. FastChat files",
            "keep their format: questions (text or turns) stay questions, answers stay answers of <model_id>-translated-<language>;",
            "the originals are kept in source_text or source_turns. Rerun the same command to resume."})
final class TranslateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Instructions (Alpaca JSON array or JSONL), or a FastChat question or answer file (question.jsonl, answers).")
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
        GenerationTask<?> task = FastChatTranslateTask.isFastChat(input)
                ? FastChatTranslateTask.open(input, limit, teacher.model(), sampling, targetLanguage)
                : new TranslateTask(InstructionInput.open(input, limit), teacher.model(), sampling, targetLanguage);
        var settings = TeacherJob.settings(teacher, sampling);
        settings.put("input", input.toString());
        settings.put("target_language", targetLanguage);
        return TeacherJob.run(teacher, task, JobFiles.forOutput(output), settings, spec.commandLine().getErr());
    }
}
