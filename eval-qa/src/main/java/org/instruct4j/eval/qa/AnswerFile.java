package org.instruct4j.eval.qa;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.core.io.Location;

/**
 * One model's answers to the evaluation questions, checked before any work. Reads:
 * <ul>
 *   <li>FastChat answers {@code {question_id, text, answer_id, model_id, metadata}} (also what {@code eval answer}
 *       writes);</li>
 *   <li>FastChat llm_judge answers {@code {question_id, model_id, answer_id, choices:[{turns:[...]}]}}, every turn of
 *       the first choice (also what {@code eval answer} writes for conversations, and FastChat's reference answers);</li>
 *   <li>Self-Instruct predictions {@code {prompt, instruction, input, response, target}}, matched to the questions by
 *       position (each row's instruction must be the question's); the model is the file name without
 *       {@code _predictions}.</li>
 * </ul>
 */
public final class AnswerFile {
    private static final String PREDICTIONS_SUFFIX = "_predictions";

    private final Path file;
    private final String modelId;
    private final Map<String, ModelAnswer> answers;

    private AnswerFile(Path file, String modelId, Map<String, ModelAnswer> answers) {
        this.file = file;
        this.modelId = modelId;
        this.answers = answers;
    }

    public static AnswerFile read(Path file, List<EvalQuestion> questions) {
        Map<String, ModelAnswer> answers = new HashMap<>();
        String modelId = null;
        try (JsonRows rows = JsonRows.open(file)) {
            long position = 0;
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                ModelAnswer answer = row.node().has("response")
                        ? prediction(row, file, questions, position)
                        : fastChat(row);
                position++;
                if (modelId == null) {
                    modelId = answer.modelId();
                } else if (!modelId.equals(answer.modelId())) {
                    throw row.error("model_id", "\"" + answer.modelId() + "\" differs from \"" + modelId
                            + "\" of the first row; one answers file holds one model's answers");
                }
                if (answers.put(answer.questionKey(), answer) != null) {
                    throw row.error("question_id", "a second answer to question " + answer.questionKey());
                }
            }
        }
        return new AnswerFile(file, modelId, answers);
    }

    private static ModelAnswer fastChat(JsonRow row) {
        if (!row.node().has("question_id")) {
            throw row.error("question_id", "missing (expected a FastChat answer {question_id, text, model_id} "
                    + "or a Self-Instruct prediction {instruction, response})");
        }
        String key = row.id("question_id");
        List<String> turns = new ArrayList<>();
        if (row.node().has("choices")) {
            row.arraySize("choices", true);
            JsonRow choice = row.element("choices", 0);
            int n = choice.arraySize("turns", true);
            for (int i = 0; i < n; i++) {
                turns.add(choice.stringElement("turns", i));
            }
        } else {
            turns.add(row.string("text"));
        }
        return new ModelAnswer(key, row.optionalString("answer_id", ""), row.string("model_id"), turns);
    }

    private static ModelAnswer prediction(JsonRow row, Path file, List<EvalQuestion> questions, long position) {
        if (position >= questions.size()) {
            throw row.error(null, "more predictions than questions (" + questions.size()
                    + "); a predictions file is matched to the questions by position");
        }
        EvalQuestion question = questions.get((int) position);
        if (!row.string("instruction").strip().equals(question.instruction().strip())) {
            throw row.error("instruction", "is not the instruction of question " + question.key()
                    + " (row " + (position + 1) + " of the questions); a predictions file is matched to the questions by position");
        }
        return new ModelAnswer(question.key(), "", modelFromFileName(file), List.of(row.string("response")));
    }

    private static String modelFromFileName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem.endsWith(PREDICTIONS_SUFFIX) ? stem.substring(0, stem.length() - PREDICTIONS_SUFFIX.length()) : stem;
    }

    /** The answer to {@code question}; a missing one is bad input naming this file. */
    public ModelAnswer answerTo(EvalQuestion question) {
        ModelAnswer answer = answers.get(question.key());
        if (answer == null) {
            throw new BadInputException(Location.file(file), "question_id",
                    "no answer to question " + question.key() + "; every question needs an answer from every model");
        }
        return answer;
    }

    /** Every answer in the file. */
    public Collection<ModelAnswer> answers() {
        return answers.values();
    }

    /** The answer to {@code question}, which must answer its first {@code turns} turns. */
    public ModelAnswer answerTo(EvalQuestion question, int turns) {
        ModelAnswer answer = answerTo(question);
        if (answer.turns().size() < turns) {
            throw new BadInputException(Location.file(file), "choices[0].turns", "the answer to question " + question.key()
                    + " has " + answer.turns().size() + " turn(s); judging turn " + turns + " needs " + turns);
        }
        return answer;
    }

    /** Checks that every question has an answer, so that a job fails before its first request rather than midway. */
    public AnswerFile requireAll(List<EvalQuestion> questions) {
        questions.forEach(this::answerTo);
        return this;
    }

    /** FastChat answer ids to this file's model, to name the models of reviews that only carry answer ids. */
    public Map<String, String> modelByAnswerId() {
        Map<String, String> models = new HashMap<>();
        answers.values().stream().filter(a -> !a.answerId().isEmpty()).forEach(a -> models.put(a.answerId(), a.modelId()));
        return models;
    }

    public String modelId() {
        return modelId;
    }

    public Path file() {
        return file;
    }
}
