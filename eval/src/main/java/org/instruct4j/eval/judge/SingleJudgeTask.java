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
 * MT-bench's single-answer grading: the judge rates each model's answer to each question from 1 to 10 with the
 * {@link LlmJudgeProtocol}'s prompt for the question's category and turn, one call per answer and turn. Writes FastChat
 * llm_judge judgments {@code {question_id, model, judge:[judge model, prompt name], user_prompt, judgment, score, turn,
 * tstamp}} plus the question's category; a judgment without a rating has score -1, as in FastChat, and one read only by
 * the lenient parser says so ({@code "parse": "lenient"}).
 */
public final class SingleJudgeTask implements GenerationTask<SingleJudgeTask.Graded> {
    public record Graded(EvalQuestion question, ModelAnswer answer, int turn) {}

    private final List<EvalQuestion> questions;
    private final List<AnswerFile> answers;
    private final LlmJudgeProtocol protocol;
    private final String judgeModel;
    private final Sampling sampling;
    private final ScoreParse parse;

    public SingleJudgeTask(List<EvalQuestion> questions, List<AnswerFile> answers, LlmJudgeProtocol protocol, String judgeModel,
            Sampling sampling, ScoreParse parse) {
        Set<String> models = new HashSet<>();
        for (AnswerFile file : answers) {
            questions.forEach(q -> file.answerTo(q, LlmJudgeProtocol.judgedTurns(q).size()));
            if (!models.add(file.modelId())) {
                throw new BadInputException(file.file() + ": model \"" + file.modelId()
                        + "\" is already graded from another --answers file");
            }
        }
        this.questions = List.copyOf(questions);
        this.answers = List.copyOf(answers);
        this.protocol = protocol.requireReferences(questions);
        this.judgeModel = judgeModel;
        this.sampling = sampling;
        this.parse = parse;
    }

    @Override
    public String name() {
        return "single-answer grading";
    }

    @Override
    public Stream<WorkItem<Graded>> items() {
        return answers.stream().flatMap(file -> questions.stream().flatMap(q -> LlmJudgeProtocol.judgedTurns(q).stream().map(turn -> {
            ModelAnswer answer = file.answerTo(q);
            String id = answer.modelId() + "/" + q.key() + (turn == 1 ? "" : "/" + turn);
            return new WorkItem<>(id, protocol.single(q, turn, answer, sampling).call(judgeModel), new Graded(q, answer, turn));
        })));
    }

    @Override
    public ObjectNode toRow(WorkItem<Graded> item, ChatReply reply) {
        Graded graded = item.source();
        ScoreParse.Rating rating = parse.rating(reply.content());
        ObjectNode row = Json.object();
        row.set("question_id", graded.question().questionId());
        row.put("model", graded.answer().modelId());
        row.putArray("judge").add(judgeModel).add(protocol.prompt(graded.question().category(), graded.turn()).name());
        row.put("user_prompt", item.call().messages().getLast().content());
        row.put("judgment", reply.content());
        row.set("score", Json.MAPPER.valueToTree(rating.score()));
        row.put("turn", graded.turn());
        row.put("tstamp", System.currentTimeMillis() / 1000.0);
        row.put("category", graded.question().category());
        if (rating.recovered()) {
            row.put("parse", "lenient");
        }
        return row;
    }
}
