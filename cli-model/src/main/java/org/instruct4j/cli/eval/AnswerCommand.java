package org.instruct4j.cli.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.cli.generate.SamplingOptions;
import org.instruct4j.cli.generate.TeacherJob;
import org.instruct4j.cli.generate.TeacherOptions;
import org.instruct4j.cli.reward.RewardModelOptions;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.eval.answer.AnswerQuestionsTask;
import org.instruct4j.eval.answer.AnswerSampling;
import org.instruct4j.eval.answer.ConversationTurnsTask;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.eval.rerank.BestOfNTask;
import org.instruct4j.model.tensor.Devices;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.tasks.Language;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "answer", mixinStandardHelpOptions = true,
        description = {"The model under test (--model at --base-url, or --local-model) answers every question.",
            "Questions: FastChat's question.jsonl (text), llm_judge's (turns: MT-bench, vicuna_bench), or Self-Instruct's",
            "user-oriented instructions (instruction + first instance's input). One-turn questions give FastChat answers",
            "{question_id, text, answer_id, model_id, metadata}; llm_judge questions are conversations, answered turn by turn",
            "with the model's own earlier answers, as llm_judge answers {question_id, answer_id, model_id, choices:[{turns}]}",
            "(the turns are kept in O.turns.jsonl). --prompt-format chat (default for API models: FastChat's system prompt and",
            "the conversation), alpaca (the Alpaca template, earlier turns as its input) or raw (the conversation alone); a local",
            "model defaults to the format it was trained with. Rerun the same command to resume.",
            "With --best-of N --reward-model DIR the model samples N answers per question and the one the reward model rates",
            "highest is kept (GPT-4-LLM's R1); the N samples stay in O.samples.jsonl."})
public final class AnswerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--questions", required = true, paramLabel = "Q.jsonl", description = "The questions.")
    Path questions;

    @Writes(beside = {Beside.TEACHER_JOB, Beside.SAMPLES, Beside.TURNS})
    @Option(names = "--output", required = true, paramLabel = "A.jsonl", description = "Answers JSONL (resumable).")
    Path output;

    @Option(names = "--model-id", required = true, paramLabel = "NAME", description = "The model's name in answers, reviews and reports (FastChat's model_id).")
    String modelId;

    @Option(names = "--language", defaultValue = "en", paramLabel = "en|zh",
            description = "zh asks for the answers in Simplified Chinese (GPT-4-LLM's Chinese evaluation; give Chinese questions from "
                    + "generate translate to ask in Chinese too) (default: ${DEFAULT-VALUE}).")
    String language;

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
        PromptFormat format = teacher.promptFormat(PromptFormat.CHAT);
        Language lang = Language.parse(language);
        AnswerSampling sampling = new AnswerSampling(AnswerSampling.FASTCHAT_DEFAULTS, samplingOptions.overrides());
        List<EvalQuestion> rows = QuestionFile.read(questions);
        var settings = TeacherJob.settings(teacher, samplingOptions.resolve(AnswerSampling.FASTCHAT_DEFAULTS));
        settings.put("questions", questions.toString());
        settings.put("model_id", modelId);
        settings.put("prompt_format", format.id());
        settings.put("language", lang.name().toLowerCase(Locale.ROOT));
        PrintWriter err = spec.commandLine().getErr();
        if (rows.stream().anyMatch(EvalQuestion::conversation)) {
            if (bestOf != 1 || rewardModel.directory() != null) {
                throw new BadInputException("--best-of answers one-turn questions; " + questions + " holds conversations (turns)");
            }
            Path turns = JobFiles.sibling(output, ".turns.jsonl");
            List<Supplier<GenerationTask<?>>> rounds = new ArrayList<>();
            for (int turn = 1; turn <= ConversationTurnsTask.turns(rows); turn++) {
                int t = turn;
                rounds.add(() -> new ConversationTurnsTask(rows, teacher.model(), modelId, sampling, format, lang, t, turns, output));
            }
            return TeacherJob.runRounds(teacher, rounds, JobFiles.withRows(output, turns), settings, err);
        }
        AnswerQuestionsTask answers = new AnswerQuestionsTask(rows, teacher.model(), modelId, sampling, format, lang);
        if (bestOf == 1 && rewardModel.directory() == null) {
            return TeacherJob.run(teacher, answers, JobFiles.forOutput(output), settings, err);
        }
        if (bestOf < 2 || rewardModel.directory() == null) {
            throw new BadInputException("best-of-n needs both --best-of N (N >= 2) and --reward-model DIR");
        }
        if (samplingOptions.overrides().temperature() != null && samplingOptions.overrides().temperature() == 0) {
            throw new BadInputException("--best-of " + bestOf + " needs sampling: with --temperature 0 every sample is the same");
        }
        settings.put("best_of", bestOf);
        settings.put("reward_model", rewardModel.directory().toString());
        Path samples = JobFiles.sibling(output, ".samples.jsonl");
        BestOfNTask task = new BestOfNTask(answers, rows, bestOf, rewardModel.load(teacher.runtime(), teacher.engine(), null)::scoreResponses, samples, output);
        return TeacherJob.run(teacher, task, JobFiles.withRows(output, samples), settings, err);
    }
}
