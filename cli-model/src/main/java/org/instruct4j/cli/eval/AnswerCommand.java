package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.cli.generate.SamplingOptions;
import org.instruct4j.cli.reward.RewardModelOptions;
import org.instruct4j.cli.generate.TeacherJob;
import org.instruct4j.cli.generate.TeacherOptions;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.eval.answer.AnswerQuestionsTask;
import org.instruct4j.eval.answer.PromptStyle;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.eval.rerank.BestOfNTask;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.model.tensor.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "answer", mixinStandardHelpOptions = true,
        description = {"The model under test (--model at --base-url, or --local-model) answers every question.",
            "Writes FastChat answers {question_id, text, answer_id, model_id, metadata}; rerun the same command to resume.",
            "Questions: FastChat's question.jsonl (text) or llm_judge's (turns: the first is asked), or Self-Instruct's",
            "user-oriented instructions (instruction + first instance's input).",
            "With --best-of N --reward-model DIR the model samples N answers per question and the one the reward model rates",
            "highest is kept (GPT-4-LLM's R1); the N samples stay in O.samples.jsonl."})
public final class AnswerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--questions", required = true, paramLabel = "Q.jsonl", description = "The questions.")
    Path questions;

    @Writes(beside = {Beside.TEACHER_JOB, Beside.SAMPLES})
    @Option(names = "--output", required = true, paramLabel = "A.jsonl", description = "Answers JSONL (appended; resumable).")
    Path output;

    @Option(names = "--model-id", required = true, paramLabel = "NAME", description = "The model's name in answers, reviews and reports (FastChat's model_id).")
    String modelId;

    @Option(names = "--prompt-style", defaultValue = "chat", paramLabel = "chat|alpaca|plain",
            description = "chat: FastChat's system prompt \"You are a helpful assistant.\" + question; alpaca: the Alpaca template "
                    + "(models fine-tuned like GPT-4-LLM's); plain: the question alone (default: ${DEFAULT-VALUE}).")
    String promptStyle;

    @Option(names = "--best-of", paramLabel = "N", defaultValue = "1",
            description = "Sample N answers per question and keep the best by --reward-model (default: ${DEFAULT-VALUE}).")
    int bestOf;

    @Mixin
    RewardModelOptions rewardModel;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Override
    public Integer call() {
        Devices.use(teacher.runtime().device());
        PromptStyle style = PromptStyle.parse(promptStyle);
        Sampling sampling = samplingOptions.resolve(AnswerQuestionsTask.FASTCHAT_DEFAULTS);
        List<EvalQuestion> rows = QuestionFile.read(questions);
        var settings = TeacherJob.settings(teacher, sampling);
        settings.put("questions", questions.toString());
        settings.put("model_id", modelId);
        settings.put("prompt_style", promptStyle);
        AnswerQuestionsTask answers = new AnswerQuestionsTask(rows, teacher.model(), modelId, sampling, style);
        if (bestOf == 1 && rewardModel.directory() == null) {
            return TeacherJob.run(teacher, answers, JobFiles.forOutput(output), settings, spec.commandLine().getErr());
        }
        if (bestOf < 2 || rewardModel.directory() == null) {
            throw new BadInputException("best-of-n needs both --best-of N (N >= 2) and --reward-model DIR");
        }
        if (sampling.temperature() == 0) {
            throw new BadInputException("--best-of " + bestOf + " needs sampling: with --temperature 0 every sample is the same");
        }
        settings.put("best_of", bestOf);
        settings.put("reward_model", rewardModel.directory().toString());
        Path samples = JobFiles.sibling(output, ".samples.jsonl");
        BestOfNTask task = new BestOfNTask(answers, rows, bestOf, rewardModel.load(teacher.runtime(), teacher.engine())::scoreResponses, samples, output);
        return TeacherJob.run(teacher, task, JobFiles.withRows(output, samples), settings, spec.commandLine().getErr());
    }
}
