package org.instruct4j.spark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.instruct4j.cli.generate.ApiTeacherOptions;
import org.instruct4j.cli.generate.JobReport;
import org.instruct4j.spark.SparkSessions;
import org.instruct4j.spark.generate.GenerationJob;
import org.instruct4j.spark.generate.TaskRecipe;
import org.instruct4j.spark.generate.TeacherEndpoint;

/** Runs a generate command's recipe as a Spark job and reports it as the single-machine commands do. */
final class SparkGenerate {
    private SparkGenerate() {}

    static int run(PrintWriter err, GenerateIo io, ApiTeacherOptions teacher, SparkOptions sparkOptions, TaskRecipe recipe,
            ObjectNode settings) {
        return run(err, io.input, io.limit, io.output, teacher, sparkOptions, recipe, settings).exitCode();
    }

    /** What a run did, and its exit code as the single-machine commands give it ({@link JobReport}). */
    record Finished(GenerationJob.Outcome outcome, int exitCode) {}

    static Finished run(PrintWriter err, String input, long limit, String output, ApiTeacherOptions teacher,
            SparkOptions sparkOptions, TaskRecipe recipe, ObjectNode settings) {
        TeacherEndpoint endpoint = new TeacherEndpoint(teacher.resolvedBaseUrl(), teacher.apiKeyEnv(), teacher.requestTimeout());
        try (SparkSessions.Session session = sparkOptions.open("instruct4j " + recipe.name())) {
            SparkSession spark = session.spark();
            if (SparkSessions.isLocal(spark)) {
                // the executors are this JVM, so a missing key is known now: bad input, before anything is written
                teacher.apiKey();
            }
            int partitions = sparkOptions.partitions(spark);
            settings.put("input", input);
            settings.put("limit", limit);
            ObjectNode sparkSettings = settings.putObject("spark");
            sparkSettings.put("master", spark.sparkContext().master());
            sparkSettings.put("partitions", partitions);
            sparkSettings.put("format", sparkOptions.format().name().toLowerCase(java.util.Locale.ROOT));
            var request = new GenerationJob.Request(input, limit, output, sparkOptions.format(), partitions, endpoint,
                    teacher.jobOptions(), teacher.priceTable(), settings);
            GenerationJob.Outcome outcome = new GenerationJob(spark, recipe, request).run(err);
            if (recipe.assembles()) {
                err.printf("%s: assembled output -> %s%n", recipe.name(), outcome.paths().output());
            }
            int exitCode = JobReport.print(recipe.name(), outcome.result(), outcome.usage().summary(), outcome.paths().rows(),
                    outcome.paths().failures(), err);
            return new Finished(outcome, exitCode);
        }
    }
}
