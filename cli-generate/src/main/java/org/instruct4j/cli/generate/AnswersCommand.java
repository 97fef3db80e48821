package org.instruct4j.cli.generate;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "answers", mixinStandardHelpOptions = true,
        description = {"The teacher answers each instruction (+input), prompted with the Alpaca template (GPT-4-LLM's instruction data).",
            "Output rows: {id, instruction, input, output, model, truncated}. Rerun the same command to resume."})
final class AnswersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Instructions: Alpaca JSON array or JSONL (instruction, optional input and id).")
    Path input;

    @Writes(beside = Beside.TEACHER_JOB)
    @Option(names = "--output", required = true, paramLabel = "O.jsonl", description = "Output JSONL (appended; resumable).")
    Path output;

    @Option(names = "--language", defaultValue = "en", paramLabel = "en|zh", description = "Language of the answers (default: ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N rows (0 = all).")
    long limit;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Override
    public Integer call() {
        Language lang = Language.parse(language);
        Sampling sampling = samplingOptions.resolve(Sampling.PAPER_DEFAULTS);
        InstructionInput rows = InstructionInput.open(input, limit);
        var settings = TeacherJob.settings(teacher, sampling);
        settings.put("input", input.toString());
        settings.put("language", lang.name().toLowerCase(java.util.Locale.ROOT));
        return TeacherJob.run(teacher, new AnswerTask(rows, teacher.model(), sampling, lang), JobFiles.forOutput(output), settings,
                spec.commandLine().getErr());
    }
}
