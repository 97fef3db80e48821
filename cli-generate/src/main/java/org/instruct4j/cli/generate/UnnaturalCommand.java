package org.instruct4j.cli.generate;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.tasks.UnnaturalTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "unnatural", mixinStandardHelpOptions = true,
        description = {"The teacher answers Unnatural Instructions (core_data.jsonl: instruction, instances[...]).",
            "Output rows: {id, instruction, input, output, label, model, truncated}; label is the original output (the ROUGE reference)."})
final class UnnaturalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "core_data.jsonl",
            description = "Unnatural Instructions core data, or rows already in the {instruction, input, output, label} format.")
    Path input;

    @Writes(beside = Beside.TEACHER_JOB)
    @Option(names = "--output", required = true, paramLabel = "O.jsonl", description = "Output JSONL (appended; resumable).")
    Path output;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N examples (0 = all; the paper evaluated 9,000).")
    long limit;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Override
    public Integer call() {
        Sampling sampling = samplingOptions.resolve(Sampling.PAPER_DEFAULTS);
        UnnaturalTask task = UnnaturalTask.open(input, limit, teacher.model(), sampling);
        var settings = TeacherJob.settings(teacher, sampling);
        settings.put("input", input.toString());
        return TeacherJob.run(teacher, task, JobFiles.forOutput(output), settings, spec.commandLine().getErr());
    }
}
