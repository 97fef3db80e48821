package org.instruct4j.cli.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.instruct4j.eval.judge.LlmJudgeProtocol;
import org.instruct4j.eval.judge.PairVerdictTask;
import org.instruct4j.eval.judge.PairwiseJudgeTask;
import org.instruct4j.eval.judge.ScoreParse;
import org.instruct4j.eval.judge.SingleJudgeTask;
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
        description = {"An LLM judges the answers, as GPT-4-LLM did with GPT-4 and as FastChat's MT-bench does.",
            "--protocol vicuna (pairwise only; the default for pairwise): FastChat's Vicuna protocol, GPT-4-LLM's (general, coding",
            "and math prompts by category; temperature 0.2, max_tokens 1024; both scores on the review's first line, -1 -1",
            "when unreadable); writes FastChat reviews; --swap also judges every question with the answers in the other order.",
            "--protocol mt-bench (the default for single): FastChat llm_judge; every question on its first turn and, with two",
            "turns, on the conversation; math, reasoning and coding against --reference-answers; temperature 0, max_tokens 2048.",
            "--mode single grades each answer 1-10 (single-v1, single-math-v1 and the multi-turn variants); --mode pairwise",
            "compares every pair of models in both orders (pair-v2, pair-math-v1, ...; games in O.games.jsonl).",
            "Rerun the same command to resume."})
final class JudgeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JudgeInputs inputs;

    @Writes(beside = {Beside.TEACHER_JOB, Beside.GAMES})
    @Option(names = "--output", required = true, paramLabel = "R.jsonl", description = "Reviews or judgments JSONL (resumable).")
    Path output;

    @Option(names = "--mode", defaultValue = "pairwise", paramLabel = "pairwise|single", description = "Judging mode (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--protocol", paramLabel = "vicuna|mt-bench",
            description = "Judge protocol (default: vicuna for pairwise, mt-bench for single).")
    String protocol;

    @Reads
    @Option(names = "--judge-prompts", paramLabel = "judge_prompts.jsonl", description = "mt-bench: FastChat llm_judge's judge_prompts.jsonl instead of the bundled copy.")
    Path judgePrompts;

    @Reads
    @Option(names = "--reference-answers", paramLabel = "gpt-4.jsonl",
            description = "mt-bench: the reference answers for math, reasoning and coding questions (FastChat's reference_answer/gpt-4.jsonl).")
    Path referenceAnswers;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Override
    public Integer call() {
        List<EvalQuestion> rows = QuestionFile.read(Path.of(inputs.questions()));
        List<AnswerFile> answerFiles = inputs.answers().stream().map(file -> AnswerFile.read(file, rows)).toList();
        ScoreParse parse = ScoreParse.parse(inputs.parse());
        boolean single = switch (mode.toLowerCase(Locale.ROOT)) {
            case "pairwise" -> false;
            case "single" -> true;
            default -> throw new BadInputException("unknown --mode '" + mode + "'; expected pairwise or single");
        };
        String resolvedProtocol = protocol != null ? protocol.toLowerCase(Locale.ROOT) : single ? "mt-bench" : "vicuna";
        GenerationTask<?> task;
        ObjectNode settings;
        JobFiles files = JobFiles.forOutput(output);
        switch (resolvedProtocol) {
            case "vicuna" -> {
                if (single) {
                    throw new BadInputException("--protocol vicuna judges pairwise only; single grading is --protocol mt-bench");
                }
                requireUnused("vicuna", judgePrompts, "--judge-prompts", referenceAnswers, "--reference-answers");
                VicunaProtocol vicuna = VicunaProtocol.read(inputs.promptFile(), inputs.reviewerFile());
                if (answerFiles.size() != 2) {
                    throw new BadInputException("--protocol vicuna needs exactly two --answers files, got " + answerFiles.size());
                }
                task = new PairwiseJudgeTask(rows, answerFiles.get(0), answerFiles.get(1), vicuna, teacher.model(),
                        samplingOptions::resolve, inputs.swap(), parse);
                settings = TeacherJob.settings(teacher, samplingOptions.resolve(vicuna.generalSampling()));
                settings.put("swap", inputs.swap());
            }
            case "mt-bench" -> {
                if (inputs.swap() || inputs.promptFile() != null || inputs.reviewerFile() != null) {
                    throw new BadInputException("--swap, --prompt-file and --reviewer-file are for --protocol vicuna "
                            + "(mt-bench's pairwise judging always plays both orders)");
                }
                Sampling sampling = samplingOptions.resolve(LlmJudgeProtocol.FASTCHAT_SAMPLING);
                AnswerFile references = referenceAnswers == null ? null : AnswerFile.read(referenceAnswers, rows);
                if (single) {
                    LlmJudgeProtocol mtBench = LlmJudgeProtocol.read(LlmJudgeProtocol.Kind.SINGLE, judgePrompts, references);
                    task = new SingleJudgeTask(rows, answerFiles, mtBench, teacher.model(), sampling, parse);
                } else {
                    LlmJudgeProtocol mtBench = LlmJudgeProtocol.read(LlmJudgeProtocol.Kind.PAIRWISE, judgePrompts, references);
                    Path games = JobFiles.sibling(output, ".games.jsonl");
                    task = new PairVerdictTask(rows, answerFiles, mtBench, teacher.model(), sampling, games, output);
                    files = JobFiles.withRows(output, games);
                }
                settings = TeacherJob.settings(teacher, sampling);
                if (referenceAnswers != null) {
                    settings.put("reference_answers", referenceAnswers.toString());
                }
            }
            default -> throw new BadInputException("unknown --protocol '" + protocol + "'; expected vicuna or mt-bench");
        }
        settings.put("mode", mode);
        settings.put("protocol", resolvedProtocol);
        settings.put("parse", inputs.parse());
        settings.put("questions", inputs.questions());
        var answerList = settings.putArray("answers");
        inputs.answers().forEach(file -> answerList.add(file.toString()));
        int exit = TeacherJob.run(teacher, task, files, settings, spec.commandLine().getErr());
        if (Files.exists(output) && sizeOf(output) > 0) {
            spec.commandLine().getOut().print(JudgeReport.load(List.of(output), Path.of(inputs.questions()), inputs.answers()).text());
            spec.commandLine().getOut().flush();
        }
        return exit;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void requireUnused(String protocol, Path first, String firstName, Path second, String secondName) {
        if (first != null || second != null) {
            throw new BadInputException((first != null ? firstName : secondName) + " is for --protocol mt-bench, not " + protocol);
        }
    }
}
