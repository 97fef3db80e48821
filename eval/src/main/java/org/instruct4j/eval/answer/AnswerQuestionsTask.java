package org.instruct4j.eval.answer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.ShortUuid;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;
import org.instruct4j.teacher.tasks.Language;

/**
 * The model under test answers every one-turn evaluation question. Output rows are FastChat answers
 * {@code {question_id, text, answer_id, model_id, metadata}} (plus the runner's {@code id}, the question id as
 * text, by which a restart skips what is done). {@code modelId} names the model in the answers, reviews and
 * reports; the metadata records how the answer was made. Conversations (llm_judge questions) are answered by
 * {@link ConversationTurnsTask}.
 */
public final class AnswerQuestionsTask implements GenerationTask<EvalQuestion> {
    private final List<EvalQuestion> questions;
    private final String model;
    private final String modelId;
    private final AnswerSampling sampling;
    private final PromptFormat format;
    private final Language language;

    public AnswerQuestionsTask(List<EvalQuestion> questions, String model, String modelId, AnswerSampling sampling,
            PromptFormat format, Language language) {
        if (modelId.isBlank()) {
            throw new BadInputException("--model-id must not be blank");
        }
        this.questions = List.copyOf(questions);
        this.model = model;
        this.modelId = modelId;
        this.sampling = sampling;
        this.format = format;
        this.language = language;
    }

    @Override
    public String name() {
        return "answers of " + modelId;
    }

    @Override
    public Stream<WorkItem<EvalQuestion>> items() {
        return questions.stream().map(q -> new WorkItem<>(q.key(),
                new ChatCall(model, QuestionMessages.of(format, q, List.of(), language), sampling.forQuestion(q)), q));
    }

    @Override
    public ObjectNode toRow(WorkItem<EvalQuestion> item, ChatReply reply) {
        ObjectNode row = Json.object();
        row.set("question_id", item.source().questionId());
        row.put("text", reply.content());
        row.put("answer_id", ShortUuid.random());
        row.put("model_id", modelId);
        row.set("metadata", metadata(format, language, item.call(), reply));
        return row;
    }

    /** How an answer was made: the model that gave it, the prompt format, the language and the decoding settings. */
    static ObjectNode metadata(PromptFormat format, Language language, ChatCall call, ChatReply reply) {
        ObjectNode metadata = Json.object();
        metadata.put("model", reply.model());
        metadata.put("prompt_format", format.id());
        metadata.put("language", language.name().toLowerCase(Locale.ROOT));
        metadata.put("temperature", call.sampling().temperature());
        metadata.put("top_p", call.sampling().topP());
        metadata.put("max_tokens", call.sampling().maxTokens());
        metadata.put("truncated", reply.truncated());
        return metadata;
    }
}
