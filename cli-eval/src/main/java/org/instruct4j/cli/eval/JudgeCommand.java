package org.instruct4j.cli.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.cli.generate.SamplingOptions;
import org.instruct4j.cli.generate.TeacherJob;
import org.instruct4j.cli.generate.TeacherOptions;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.eval.judge.PairwiseJudgeTask;
import org.instruct4j.eval.judge.SingleJudgeTask;
import org.instruct4j.eval.judge.SinglePrompt;
import org.instruct4j.eval.judge.VicunaProtocol;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.eval.report.JudgeReport;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "judge", mixinStandardHelpOptions = true,
        description = {"An LLM judges the answers, as GPT-4-LLM did with GPT-4.",
            "pairwise (default): FastChat's Vicuna protocol",
            "(general, coding and math prompts by question category; temperature 0.2, max_tokens 1024; the scores of both",
            "answers on the review's first line, -1 -1 when unreadable); writes FastChat reviews. --swap also judges every",
            "question with the answers in the other order. single: MT-bench's single-v1 grading, 1-10 per answer",
            "(temperature 0, max_tokens 2048). Rerun the same command to resume."})
final class JudgeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JudgeInputs inputs;

    @Writes(beside = Beside.TEACHER_JOB)
    @Option(names = "--output", required = true, paramLabel = "R.jsonl", description = "Reviews JSONL (appended; resumable).")
    Path output;

    @Option(names = "--mode", defaultValue = "pairwise", paramLabel = "pairwise|single", description = "Judging mode (default: ${DEFAULT-VALUE}).")
    String mode;

    @Reads
    @Option(names = "--judge-prompts", paramLabel = "judge_prompts.jsonl", description = "single: FastChat llm_judge's judge_prompts.jsonl instead of the bundled copy.")
    Path judgePrompts;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Override
    public Integer call() {
        List<EvalQuestion> rows = QuestionFile.read(Path.of(inputs.questions()));
        List<AnswerFile> answerFiles = inputs.answers().stream().map(file -> AnswerFile.read(file, rows)).toList();
        GenerationTask<?> task;
        ObjectNode settings;
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "pairwise" -> {
                VicunaProtocol protocol = VicunaProtocol.read(inputs.promptFile(), inputs.reviewerFile());
                task = pairwise(rows, answerFiles, protocol);
                settings = TeacherJob.settings(teacher, samplingOptions.resolve(protocol.generalSampling()));
                settings.put("swap", inputs.swap());
            }
            case "single" -> {
                Sampling sampling = samplingOptions.resolve(SinglePrompt.FASTCHAT_SAMPLING);
                task = single(rows, answerFiles, sampling);
                settings = TeacherJob.settings(teacher, sampling);
            }
            default -> throw new BadInputException("unknown --mode '" + mode + "'; expected pairwise or single");
        }
        settings.put("mode", mode);
        settings.put("questions", inputs.questions());
        var answerList = settings.putArray("answers");
        inputs.answers().forEach(file -> answerList.add(file.toString()));
        int exit = TeacherJob.run(teacher, task, JobFiles.forOutput(output), settings, spec.commandLine().getErr());
        if (Files.exists(output)) {
            spec.commandLine().getOut().print(JudgeReport.load(List.of(output), null, List.of()).text());
            spec.commandLine().getOut().flush();
        }
        return exit;
    }

    private GenerationTask<?> pairwise(List<EvalQuestion> rows, List<AnswerFile> answerFiles, VicunaProtocol protocol) {
        if (answerFiles.size() != 2) {
            throw new BadInputException("--mode pairwise needs exactly two --answers files, got " + answerFiles.size());
        }
        if (judgePrompts != null) {
            throw new BadInputException("--judge-prompts is for --mode single; pairwise uses --prompt-file and --reviewer-file");
        }
        return new PairwiseJudgeTask(rows, answerFiles.get(0), answerFiles.get(1), protocol, teacher.model(),
                samplingOptions::resolve, inputs.swap());
    }

    private GenerationTask<?> single(List<EvalQuestion> rows, List<AnswerFile> answerFiles, Sampling sampling) {
        if (inputs.swap() || inputs.promptFile() != null || inputs.reviewerFile() != null) {
            throw new BadInputException("--swap, --prompt-file and --reviewer-file are for --mode pairwise");
        }
        return new SingleJudgeTask(rows, answerFiles, SinglePrompt.read(judgePrompts), teacher.model(), sampling);
    }
}
