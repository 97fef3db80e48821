package org.instruct4j.cli.reward;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.eval.rerank.Reranker;
import org.instruct4j.train.reward.RewardModel;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.cli.ModelRuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code instruct4j rank}: the best of n answers per question by a reward model (GPT-4-LLM's R1). */
@Command(name = "rank", mixinStandardHelpOptions = true,
        description = {"Keep the best of n answers per question by a reward model, as GPT-4-LLM's R1. Input: FastChat answers "
                + "(several per question_id; give --questions) or {id, instruction, input, output} rows (the candidates of one "
                + "instruction share an id). Output: one row per question, the best candidate with its reward and every "
                + "candidate's reward (in the metadata for FastChat answers)."})
public final class RankCommand implements Callable<Integer> {
    @Mixin
    RewardModelOptions rewardModel;

    @Mixin
    EngineOptions engine;

    @Option(names = "--prompt-format", paramLabel = "alpaca|chat|raw",
            description = "How prompt and response become the reward model's text (default: the format it was trained with).")
    String promptFormat;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "answers.jsonl", description = "Candidate answers.")
    Path input;

    @Reads
    @Option(names = "--questions", paramLabel = "Q.jsonl", description = "The questions FastChat answers refer to (FastChat, "
            + "MT-bench or Self-Instruct format).")
    Path questions;

    @Writes
    @Option(names = "--output", required = true, paramLabel = "best.jsonl", description = "The best answer per question (written atomically).")
    Path output;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelRuntimeOptions runtime;

    @Override
    public Integer call() {
        var questionRows = questions == null ? List.<org.instruct4j.eval.qa.EvalQuestion>of() : QuestionFile.read(questions);
        Reranker.Candidates candidates = Reranker.read(input, questionRows);
        RewardModel model = rewardModel.load(runtime, engine, promptFormat == null ? null : PromptFormat.parse(promptFormat));
        int ranked = new Reranker(model::scoreResponses).rank(candidates, output);
        spec.commandLine().getOut().printf("kept the best answer of %,d questions -> %s%n", ranked, output);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
