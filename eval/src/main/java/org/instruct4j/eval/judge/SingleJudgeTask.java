package org.instruct4j.eval.judge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.ModelAnswer;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * Single-answer grading: the judge rates each model's answer to each question from 1 to 10 with MT-bench's
 * {@link SinglePrompt}, one call per answer. Writes FastChat llm_judge judgments
 * {@code {question_id, model, judge:[judge model, "single-v1"], user_prompt, judgment, score, turn, tstamp}} plus the
 * question's category; a judgment without a rating has score -1, as in FastChat.
 */
public final class SingleJudgeTask implements GenerationTask<SingleJudgeTask.Graded> {
    public record Graded(EvalQuestion question, ModelAnswer answer) {}

    private final List<EvalQuestion> questions;
    private final List<AnswerFile> answers;
    private final SinglePrompt prompt;
    private final String judgeModel;
    private final Sampling sampling;

    public SingleJudgeTask(List<EvalQuestion> questions, List<AnswerFile> answers, SinglePrompt prompt, String judgeModel,
            Sampling sampling) {
        Set<String> models = new HashSet<>();
        for (AnswerFile file : answers) {
            file.requireAll(questions);
            if (!models.add(file.modelId())) {
                throw new BadInputException(file.file() + ": model \"" + file.modelId()
                        + "\" is already graded from another --answers file");
            }
        }
        this.questions = List.copyOf(questions);
        this.answers = List.copyOf(answers);
        this.prompt = prompt;
        this.judgeModel = judgeModel;
        this.sampling = sampling;
    }

    @Override
    public String name() {
        return "single-answer grading";
    }

    @Override
    public Stream<WorkItem<Graded>> items() {
        return answers.stream().flatMap(file -> questions.stream().map(q -> {
            ModelAnswer answer = file.answerTo(q);
            return new WorkItem<>(answer.modelId() + "/" + q.key(),
                    prompt.prompt(q.text(), answer.text(), sampling).call(judgeModel), new Graded(q, answer));
        }));
    }

    @Override
    public ObjectNode toRow(WorkItem<Graded> item, ChatReply reply) {
        Graded graded = item.source();
        ObjectNode row = Json.object();
        row.set("question_id", graded.question().questionId());
        row.put("model", graded.answer().modelId());
        row.putArray("judge").add(judgeModel).add(SinglePrompt.NAME);
        row.put("user_prompt", item.call().messages().get(1).content());
        row.put("judgment", reply.content());
        row.put("score", ScoreParser.rating(reply.content()));
        row.put("turn", 1);
        row.put("tstamp", System.currentTimeMillis() / 1000.0);
        row.put("category", graded.question().category());
        return row;
    }
}
