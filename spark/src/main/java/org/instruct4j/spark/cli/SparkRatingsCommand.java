package org.instruct4j.spark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.cli.Reads;
import org.instruct4j.spark.generate.RatingsRecipe;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.tasks.RatingTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ratings", mixinStandardHelpOptions = true,
        description = {"generate ratings as a Spark job: the teacher rates every response to each instruction from 1 to 10.",
            "The ratings are rows of DIR.ratings/ (resumable); DIR/ holds the comparison data v2 assembled from them",
            "{id, user_input, responses_and_scores:[{response, score, source}]}, rewritten at the end of every run."})
final class SparkRatingsCommand extends SparkTeacherCommand {
    @Mixin
    GenerateIo io;

    @Reads
    @Option(names = "--responses", required = true, paramLabel = "R.jsonl",
            description = "One model's responses (output of `generate answers`: id, output, model), read by the driver and sent"
                    + " to every executor; repeat for each model.")
    List<Path> responses;

    @Override
    public Integer call() {
        Sampling sampling = samplingOptions.resolve(RatingTask.DEFAULTS);
        ObjectNode settings = teacher.settings(sampling);
        var files = settings.putArray("responses");
        responses.forEach(file -> files.add(file.toString()));
        return SparkGenerate.run(spec.commandLine().getErr(), io, teacher, sparkOptions,
                new RatingsRecipe(teacher.model(), sampling, responses.stream().map(Path::toString).toList()), settings);
    }
}
