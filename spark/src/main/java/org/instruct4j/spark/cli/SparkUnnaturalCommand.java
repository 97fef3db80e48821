package org.instruct4j.spark.cli;

import java.util.concurrent.Callable;
import org.instruct4j.cli.generate.ApiTeacherOptions;
import org.instruct4j.cli.generate.SamplingOptions;
import org.instruct4j.spark.generate.UnnaturalRecipe;
import org.instruct4j.teacher.client.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "unnatural", mixinStandardHelpOptions = true,
        description = {"generate unnatural as a Spark job: the teacher answers Unnatural Instructions (core_data rows: instruction,",
            "instances[...], one request per instance, ids row.k; or rows already in the {instruction, input, output, label} format).",
            "--limit counts input rows. Output rows: {id, instruction, input, output, label, model, truncated}."})
final class SparkUnnaturalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GenerateIo io;

    @Mixin
    ApiTeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        Sampling sampling = samplingOptions.resolve(Sampling.PAPER_DEFAULTS);
        return SparkGenerate.run(spec.commandLine().getErr(), io, teacher, sparkOptions,
                new UnnaturalRecipe(teacher.model(), sampling), teacher.settings(sampling));
    }
}
