package org.instruct4j.eval.qa;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;

/**
 * Reads evaluation questions in any of the field's formats, checking every row before any work:
 * <ul>
 *   <li>FastChat's Vicuna table: {@code {question_id, text, category}};</li>
 *   <li>FastChat llm_judge (MT-bench, vicuna_bench): {@code {question_id, category, turns:[...]}}, a conversation of
 *       every turn (with the optional {@code required_temperature});</li>
 *   <li>Self-Instruct's user-oriented instructions: {@code {id, motivation_app, instruction, instances:[{input}]}},
 *       the instruction with its first instance's input; the category is the motivating app.</li>
 * </ul>
 */
public final class QuestionFile {
    private QuestionFile() {}

    public static List<EvalQuestion> read(Path file) {
        List<EvalQuestion> questions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                EvalQuestion question = decode(row);
                if (!ids.add(question.key())) {
                    throw row.error(idField(row), "duplicate question id " + question.questionId());
                }
                questions.add(question);
            }
        }
        return questions;
    }

    static EvalQuestion decode(JsonRow row) {
        JsonNode id = questionId(row);
        if (row.node().has("turns")) {
            int n = row.arraySize("turns", true);
            List<String> turns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                turns.add(nonBlank(row, "turns[" + i + "]", row.stringElement("turns", i)));
            }
            Double temperature = row.node().hasNonNull("required_temperature") ? row.number("required_temperature") : null;
            return new EvalQuestion(id, turns.get(0), "", row.optionalString("category", "general"), turns.subList(1, n),
                    temperature, true);
        }
        if (row.node().has("text")) {
            return new EvalQuestion(id, nonBlank(row, "text", row.string("text")), "", row.optionalString("category", "general"));
        }
        if (row.node().has("instruction")) {
            String input = "";
            if (row.node().has("instances")) {
                row.arraySize("instances", true);
                input = row.element("instances", 0).optionalString("input", "");
            }
            return new EvalQuestion(id, nonBlank(row, "instruction", row.string("instruction")), input,
                    row.optionalString("motivation_app", row.optionalString("category", "general")));
        }
        throw row.error(null, "not a question: expected a field \"text\" (FastChat), \"turns\" (MT-bench) "
                + "or \"instruction\" (Self-Instruct)");
    }

    private static JsonNode questionId(JsonRow row) {
        String field = idField(row);
        JsonNode id = row.node().get(field);
        if (id == null || id.isNull()) {
            throw row.error("question_id", "missing (every question needs a \"question_id\" or an \"id\")");
        }
        if (!id.isTextual() && !id.canConvertToExactIntegral()) {
            throw row.error(field, "expected a string or an integer");
        }
        return id;
    }

    private static String idField(JsonRow row) {
        return row.node().has("question_id") ? "question_id" : "id";
    }

    private static String nonBlank(JsonRow row, String field, String text) {
        if (text.isBlank()) {
            throw row.error(field, "is empty");
        }
        return text;
    }
}
