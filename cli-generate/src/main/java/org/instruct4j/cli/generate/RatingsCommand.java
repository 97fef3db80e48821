package org.instruct4j.cli.generate;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.RatingTask;
import org.instruct4j.teacher.tasks.ResponseFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ratings", mixinStandardHelpOptions = true,
        description = {"The teacher rates every response to each instruction from 1 to 10 (GPT-4-LLM's comparison data).",
            "Writes comparison data v2 rows {id, user_input, responses_and_scores:[{response, score, source}]};",
            "each rating is kept in O.ratings.jsonl as it arrives, so a restart asks nothing twice.",
            "A review without a score on its first line is retried, then recorded as a failure, never guessed."})
final class RatingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The instructions (Alpaca JSON array or JSONL).")
    Path input;

    @Reads
    @Option(names = "--responses", required = true, paramLabel = "R.jsonl",
            description = "One model's responses (output of `generate answers`: id, output, model); repeat for each model.")
    List<Path> responses;

    @Writes(beside = {Beside.TEACHER_JOB, Beside.RATINGS})
    @Option(names = "--output", required = true, paramLabel = "O.jsonl", description = "Comparison data v2 JSONL.")
    Path output;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N instructions (0 = all).")
    long limit;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Override
    public Integer call() {
        Sampling sampling = samplingOptions.resolve(RatingTask.DEFAULTS);
        InstructionInput rows = InstructionInput.open(input, limit);
        List<ResponseFile> responseFiles = responses.stream().map(ResponseFile::read).toList();
        Path ratings = JobFiles.sibling(output, ".ratings.jsonl");
        var settings = TeacherJob.settings(teacher, sampling);
        settings.put("input", input.toString());
        var files = settings.putArray("responses");
        responseFiles.forEach(r -> files.addObject().put("file", r.file().toString()).put("source", r.source()));
        RatingTask task = new RatingTask(rows, responseFiles, teacher.model(), sampling, ratings, output);
        return TeacherJob.run(teacher, task, JobFiles.withRows(output, ratings), settings, spec.commandLine().getErr());
    }
}
