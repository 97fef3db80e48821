package org.instruct4j.eval.answer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.ShortUuid;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * The model under test answers every evaluation question. Output rows are FastChat answers
 * {@code {question_id, text, answer_id, model_id, metadata}} (plus the runner's {@code id}, the question id as
 * text, by which a restart skips what is done). {@code modelId} names the model in the answers, reviews and
 * reports; the metadata records how the answer was made.
 */
public final class AnswerQuestionsTask implements GenerationTask<EvalQuestion> {
    /** FastChat's answer generation: sampling at temperature 0.7, up to 1024 new tokens. */
    public static final Sampling FASTCHAT_DEFAULTS = new Sampling(0.7, 1.0, 1024, List.of());

    private final List<EvalQuestion> questions;
    private final String model;
    private final String modelId;
    private final Sampling sampling;
    private final PromptStyle style;

    public AnswerQuestionsTask(List<EvalQuestion> questions, String model, String modelId, Sampling sampling, PromptStyle style) {
        if (modelId.isBlank()) {
            throw new BadInputException("--model-id must not be blank");
        }
        this.questions = List.copyOf(questions);
        this.model = model;
        this.modelId = modelId;
        this.sampling = sampling;
        this.style = style;
    }

    @Override
    public String name() {
        return "answers of " + modelId;
    }

    @Override
    public Stream<WorkItem<EvalQuestion>> items() {
        return questions.stream().map(q -> new WorkItem<>(q.key(), new ChatCall(model, style.messages(q), sampling), q));
    }

    @Override
    public ObjectNode toRow(WorkItem<EvalQuestion> item, ChatReply reply) {
        ObjectNode row = Json.object();
        row.set("question_id", item.source().questionId());
        row.put("text", reply.content());
        row.put("answer_id", ShortUuid.random());
        row.put("model_id", modelId);
        ObjectNode metadata = row.putObject("metadata");
        metadata.put("model", reply.model());
        metadata.put("prompt_style", style.name().toLowerCase(Locale.ROOT));
        metadata.put("temperature", sampling.temperature());
        metadata.put("top_p", sampling.topP());
        metadata.put("max_tokens", sampling.maxTokens());
        metadata.put("truncated", reply.truncated());
        return row;
    }
}
