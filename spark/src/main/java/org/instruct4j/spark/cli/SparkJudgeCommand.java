package org.instruct4j.spark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Writes;
import org.instruct4j.cli.eval.JudgeInputs;
import org.instruct4j.eval.judge.ScoreParse;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.eval.judge.VicunaProtocol;
import org.instruct4j.eval.report.JudgeReport;
import org.instruct4j.spark.generate.JudgeRecipe;
import org.instruct4j.spark.io.HadoopFiles;
import org.instruct4j.spark.io.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "judge", mixinStandardHelpOptions = true,
        description = {"eval judge --mode pairwise as a Spark job: an LLM compares two models' answers.",
            "Every question is judged with",
            "FastChat's Vicuna protocol (prompts by question category; the scores of both answers on the review's first line).",
            "--swap also judges each question with the answers in the other order. Output rows: FastChat reviews; the",
            "relative scores are printed at the end. Rerun the same command to resume."})
final class SparkJudgeCommand extends SparkTeacherCommand {
    @Mixin
    JudgeInputs inputs;

    @Writes(value = FileRoles.Kind.DIRECTORY, beside = Beside.SPARK_JOB)
    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Output directory of review part files (resumable); failure records in DIR.failures/, metadata in DIR.meta.json.")
    String output;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N questions (0 = all).")
    long limit;

    @Override
    public Integer call() {
        List<Path> answers = inputs.answers();
        if (answers.size() != 2) {
            throw new BadInputException("--answers is needed exactly twice (Assistant 1, then 2), got " + answers.size());
        }
        VicunaProtocol protocol = VicunaProtocol.read(inputs.promptFile(), inputs.reviewerFile());
        ObjectNode settings = teacher.settings(samplingOptions.resolve(protocol.generalSampling()));
        settings.put("mode", "pairwise");
        settings.put("swap", inputs.swap());
        settings.put("parse", inputs.parse());
        var answerList = settings.putArray("answers");
        answers.forEach(file -> answerList.add(file.toString()));
        String questions = inputs.questions();
        JudgeRecipe recipe = new JudgeRecipe(teacher.model(), samplingOptions.overrides(), inputs.swap(), ScoreParse.parse(inputs.parse()), questions,
                answers.get(0).toString(), answers.get(1).toString(), nameOf(inputs.promptFile()), nameOf(inputs.reviewerFile()));
        SparkGenerate.Finished finished = SparkGenerate.run(spec.commandLine().getErr(), questions, limit, output, teacher, sparkOptions,
                recipe, settings);
        printReport(finished);
        return finished.exitCode();
    }

    private static String nameOf(Path file) {
        return file == null ? null : file.toString();
    }

    /** The relative scores of the reviews so far, as eval judge prints them, when they are JSON Lines on this machine. */
    private void printReport(SparkGenerate.Finished finished) {
        var paths = finished.outcome().paths();
        if (sparkOptions.format() != OutputFormat.JSONL || !HadoopFiles.isLocal(paths.fs())) {
            return;
        }
        List<Path> reviews = HadoopFiles.dataFiles(paths.fs(), paths.rows()).stream()
                .map(file -> Path.of(file.getPath().toUri())).toList();
        if (!reviews.isEmpty()) {
            spec.commandLine().getOut().print(JudgeReport.load(reviews, null, List.of()).text());
            spec.commandLine().getOut().flush();
        }
    }
}
