package org.instruct4j.spark.cli;

import org.instruct4j.spark.generate.UnnaturalRecipe;
import org.instruct4j.teacher.client.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "unnatural", mixinStandardHelpOptions = true,
        description = {"generate unnatural as a Spark job: the teacher answers Unnatural Instructions.",
            "Input: core_data rows (instruction, instances[...]; one request per instance, ids row.k), or rows already in "
                + "the {instruction, input, output, label} format.",
            "--limit counts input rows. Output rows: {id, instruction, input, output, label, model, truncated}."})
final class SparkUnnaturalCommand extends SparkTeacherCommand {
    @Mixin
    GenerateIo io;

    @Override
    public Integer call() {
        Sampling sampling = samplingOptions.resolve(Sampling.PAPER_DEFAULTS);
        return SparkGenerate.run(spec.commandLine().getErr(), io, teacher, sparkOptions,
                new UnnaturalRecipe(teacher.model(), sampling), teacher.settings(sampling));
    }
}
