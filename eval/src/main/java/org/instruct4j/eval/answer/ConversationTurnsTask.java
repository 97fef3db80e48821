package org.instruct4j.eval.answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Datasets;
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
 * One round of multi-turn answering, as FastChat's {@code gen_api_answer.py} keeps the conversation: in round
 * {@code turn} the model answers the turn-th user turn of every question whose earlier turns it has answered, seeing
 * its own earlier answers. Each answered turn is appended to {@code O.turns.jsonl} (id {@code question#turn}), so a
 * restart asks nothing twice; {@link #finish()} writes the output, atomically, with one FastChat llm_judge answer per
 * question whose turns are all answered, in question order: {@code {question_id, answer_id, model_id,
 * choices:[{index: 0, turns:[...]}], tstamp, metadata}} (the metadata of the first turn; {@code truncated} when any
 * turn was cut). Run the rounds one after another, from turn 1 up to
 * {@link #turns(List)}.
 */
public final class ConversationTurnsTask implements GenerationTask<EvalQuestion> {
    private final List<EvalQuestion> questions;
    private final String model;
    private final String modelId;
    private final AnswerSampling sampling;
    private final PromptFormat format;
    private final Language language;
    private final int turn;
    private final Path turnsFile;
    private final Path output;
    private final Map<String, JsonNode> answered;

    public ConversationTurnsTask(List<EvalQuestion> questions, String model, String modelId, AnswerSampling sampling,
            PromptFormat format, Language language, int turn, Path turnsFile, Path output) {
        if (modelId.isBlank()) {
            throw new IllegalArgumentException("--model-id must not be blank");
        }
        this.questions = List.copyOf(questions);
        this.model = model;
        this.modelId = modelId;
        this.sampling = sampling;
        this.format = format;
        this.language = language;
        this.turn = turn;
        this.turnsFile = turnsFile;
        this.output = output;
        this.answered = read(turnsFile);
    }

    /** The most turns of any question: the number of rounds. */
    public static int turns(List<EvalQuestion> questions) {
        return questions.stream().mapToInt(q -> q.turns().size()).max().orElse(0);
    }

    static String turnId(EvalQuestion question, int turn) {
        return question.key() + "#" + turn;
    }

    @Override
    public String name() {
        return "answers of " + modelId + ", turn " + turn;
    }

    @Override
    public Stream<WorkItem<EvalQuestion>> items() {
        return questions.stream().filter(q -> q.turns().size() >= turn).flatMap(q -> {
            List<String> earlier = earlierAnswers(q, turn);
            return earlier == null ? Stream.empty() : Stream.of(new WorkItem<>(turnId(q, turn),
                    new ChatCall(model, QuestionMessages.of(format, q, earlier, language), sampling.forQuestion(q)), q));
        });
    }

    /** The answers to turns 1 .. upTo-1, or null when one is missing (its turn failed or was not asked yet). */
    private List<String> earlierAnswers(EvalQuestion question, int upTo) {
        List<String> answers = new ArrayList<>();
        for (int t = 1; t < upTo; t++) {
            JsonNode row = answered.get(turnId(question, t));
            if (row == null) {
                return null;
            }
            answers.add(row.get("text").asText());
        }
        return answers;
    }

    @Override
    public ObjectNode toRow(WorkItem<EvalQuestion> item, ChatReply reply) {
        ObjectNode row = Json.object();
        row.set("question_id", item.source().questionId());
        row.put("turn", turn);
        row.put("text", reply.content());
        JsonNode first = answered.get(turnId(item.source(), 1));
        row.put("answer_id", first == null ? ShortUuid.random() : first.get("answer_id").asText());
        row.put("model_id", modelId);
        row.put("tstamp", System.currentTimeMillis() / 1000.0);
        row.set("metadata", AnswerQuestionsTask.metadata(format, language, item.call(), reply));
        return row;
    }

    @Override
    public void finish() {
        Map<String, JsonNode> done = read(turnsFile);
        StringBuilder lines = new StringBuilder();
        for (EvalQuestion question : questions) {
            List<JsonNode> rows = new ArrayList<>();
            for (int t = 1; t <= question.turns().size() && done.containsKey(turnId(question, t)); t++) {
                rows.add(done.get(turnId(question, t)));
            }
            if (rows.size() == question.turns().size()) {
                lines.append(Json.line(answer(question, rows))).append('\n');
            }
        }
        AtomicFiles.writeString(output, lines.toString());
    }

    private ObjectNode answer(EvalQuestion question, List<JsonNode> turnRows) {
        ObjectNode row = Json.object();
        row.set("question_id", question.questionId());
        row.put("answer_id", turnRows.get(0).get("answer_id").asText());
        row.put("model_id", turnRows.get(0).get("model_id").asText());
        ArrayNode turns = row.putArray("choices").addObject().put("index", 0).putArray("turns");
        turnRows.forEach(r -> turns.add(r.get("text").asText()));
        row.put("tstamp", turnRows.getLast().get("tstamp").asDouble());
        ObjectNode metadata = turnRows.get(0).get("metadata").deepCopy();
        metadata.put("truncated", turnRows.stream().anyMatch(r -> r.get("metadata").get("truncated").asBoolean()));
        row.set("metadata", metadata);
        return row;
    }

    private static Map<String, JsonNode> read(Path file) {
        Map<String, JsonNode> rows = new HashMap<>();
        if (Files.exists(file)) {
            Datasets.forEach(file, row -> row.node(), row -> rows.put(row.get("id").asText(), row));
        }
        return rows;
    }
}
