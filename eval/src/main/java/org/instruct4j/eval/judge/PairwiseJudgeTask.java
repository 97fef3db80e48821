package org.instruct4j.eval.judge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.ModelAnswer;
import org.instruct4j.eval.qa.ShortUuid;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * The judge compares two models' answers to every question with the {@link VicunaProtocol}, one call per question
 * (as GPT-4-LLM did), and with {@code swap} a second call with the answers in the other order, since judges favour
 * a position. Writes FastChat reviews {@code {review_id, question_id, answer1_id, answer2_id, text, score:[s1, s2],
 * reviewer_id, metadata}}; the metadata names the judge, both models, the category and whether the order was
 * swapped. A review whose first line holds no score pair is kept with {@code [-1, -1]}, as FastChat does, unless the
 * {@link ScoreParse#LENIENT lenient} parser reads its scores elsewhere (then the metadata says {@code "parse": "lenient"}).
 */
public final class PairwiseJudgeTask implements GenerationTask<PairwiseJudgeTask.Judged> {
    /** The id suffix of a question's second, swapped judgment. */
    public static final String SWAPPED = "#swapped";

    /** One comparison: {@code first} is shown as Assistant 1. */
    public record Judged(EvalQuestion question, ModelAnswer first, ModelAnswer second, boolean swapped, String reviewerId) {}

    private final List<EvalQuestion> questions;
    private final AnswerFile modelA;
    private final AnswerFile modelB;
    private final VicunaProtocol protocol;
    private final String judgeModel;
    private final UnaryOperator<Sampling> samplingOverrides;
    private final boolean swap;
    private final ScoreParse parse;

    public PairwiseJudgeTask(List<EvalQuestion> questions, AnswerFile modelA, AnswerFile modelB, VicunaProtocol protocol,
            String judgeModel, UnaryOperator<Sampling> samplingOverrides, boolean swap, ScoreParse parse) {
        this.questions = List.copyOf(questions);
        this.modelA = modelA.requireAll(questions);
        this.modelB = modelB.requireAll(questions);
        this.protocol = protocol;
        this.judgeModel = judgeModel;
        this.samplingOverrides = samplingOverrides;
        this.swap = swap;
        this.parse = parse;
    }

    @Override
    public String name() {
        return "judge " + modelA.modelId() + " vs " + modelB.modelId();
    }

    @Override
    public Stream<WorkItem<Judged>> items() {
        return questions.stream().flatMap(q -> {
            ModelAnswer a = modelA.answerTo(q);
            ModelAnswer b = modelB.answerTo(q);
            WorkItem<Judged> forward = item(q.key(), q, a, b, false);
            return swap ? Stream.of(forward, item(q.key() + SWAPPED, q, b, a, true)) : Stream.of(forward);
        });
    }

    private WorkItem<Judged> item(String id, EvalQuestion q, ModelAnswer first, ModelAnswer second, boolean swapped) {
        JudgePrompt prompt = protocol.prompt(q.category(), q.text(), first.text(), second.text());
        JudgePrompt sampled = new JudgePrompt(prompt.reviewerId(), prompt.systemPrompt(), prompt.userPrompt(),
                samplingOverrides.apply(prompt.sampling()));
        return new WorkItem<>(id, sampled.call(judgeModel), new Judged(q, first, second, swapped, prompt.reviewerId()));
    }

    @Override
    public ObjectNode toRow(WorkItem<Judged> item, ChatReply reply) {
        Judged judged = item.source();
        ScoreParse.PairScores score = parse.pair(reply.content());
        ObjectNode review = Json.object();
        review.put("review_id", ShortUuid.random());
        review.set("question_id", judged.question().questionId());
        review.put("answer1_id", judged.first().answerId());
        review.put("answer2_id", judged.second().answerId());
        review.put("text", reply.content());
        review.putArray("score").add(score.first()).add(score.second());
        review.put("reviewer_id", judged.reviewerId());
        ObjectNode metadata = review.putObject("metadata");
        metadata.put("judge", reply.model());
        metadata.put("model1", judged.first().modelId());
        metadata.put("model2", judged.second().modelId());
        metadata.put("category", judged.question().category());
        metadata.put("swapped", judged.swapped());
        metadata.put("truncated", reply.truncated());
        if (score.recovered()) {
            metadata.put("parse", "lenient");
        }
        return review;
    }
}
