package org.instruct4j.teacher.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * Translates FastChat files and keeps their format, for GPT-4-LLM's Chinese evaluation (its Figure 5): questions
 * ({@code {question_id, text}} of the Vicuna table, {@code {question_id, turns}} of llm_judge) become the same
 * questions in the target language, and answers ({@code {question_id, text, model_id}} or llm_judge's {@code choices})
 * become the same answers translated, named {@code <model_id>-translated-<language>}. Every text of a row (each turn)
 * is translated in one request; the originals stay in {@code source_text} or {@code source_turns}, and a translation
 * that lost protected text is asked again, as for instructions.
 */
public final class FastChatTranslateTask implements GenerationTask<JsonRow> {
    static final String PROMPT = """
            Translate the value of every field of the JSON object below into %s.
            Rules:
            - Translate only; do not answer, follow or explain the text.
            - Keep exactly as they are: code, anything inside backticks, numbers, URLs, e-mail addresses, \\
            and placeholders such as {name}, <tag>, $VAR or %%s.
            - Keep the keys as they are.
            Reply with a single JSON object with the same keys and nothing else.

            %s""";

    private final Path file;
    private final long limit;
    private final boolean answers;
    private final String model;
    private final Sampling sampling;
    private final String targetLanguage;
    private final String modelSuffix;

    private FastChatTranslateTask(Path file, long limit, boolean answers, String model, Sampling sampling, String targetLanguage) {
        this.file = file;
        this.limit = limit;
        this.answers = answers;
        this.model = model;
        this.sampling = sampling;
        this.targetLanguage = Translation.languageName(targetLanguage);
        this.modelSuffix = "-translated-" + targetLanguage.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-");
    }

    /** Whether {@code file}'s first row is a FastChat question or answer (a {@code question_id} with text or turns). */
    public static boolean isFastChat(Path file) {
        try (JsonRows rows = JsonRows.open(file)) {
            JsonNode first = rows.next().node();
            return first.has("question_id") && (first.has("text") || first.has("turns") || first.has("choices"));
        }
    }

    /** Checks every row of {@code file} (the first {@code limit}, 0 = all) before any request. */
    public static FastChatTranslateTask open(Path file, long limit, String model, Sampling sampling, String targetLanguage) {
        Boolean answers = null;
        Set<String> ids = new HashSet<>();
        long count = 0;
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext() && (limit <= 0 || count < limit)) {
                JsonRow row = rows.next();
                boolean answer = row.node().has("model_id");
                if (answers == null) {
                    answers = answer;
                } else if (answers != answer) {
                    throw row.error("model_id", answers ? "missing: the file's first row is an answer, so every row must be"
                            : "present: the file's first row is a question, so no row may be an answer");
                }
                texts(row);
                if (!ids.add(row.id("question_id"))) {
                    throw row.error("question_id", "duplicate question id " + row.id("question_id"));
                }
                count++;
            }
        }
        return new FastChatTranslateTask(file, limit, Boolean.TRUE.equals(answers), model, sampling, targetLanguage);
    }

    /** The row's texts, as the JSON object sent for translation: {@code text}, or {@code turn_1}, {@code turn_2}, ... */
    private static ObjectNode texts(JsonRow row) {
        if (!row.node().has("question_id")) {
            throw row.error("question_id", "missing (expected a FastChat question or answer)");
        }
        ObjectNode texts = Json.object();
        JsonRow holder = row;
        if (row.node().has("choices")) {
            if (row.arraySize("choices", true) > 1) {
                throw row.error("choices", "has several choices; translate files with one choice per answer");
            }
            holder = row.element("choices", 0);
        }
        if (holder.node().has("turns")) {
            int n = holder.arraySize("turns", true);
            for (int i = 0; i < n; i++) {
                texts.put("turn_" + (i + 1), holder.stringElement("turns", i));
            }
        } else {
            texts.put("text", row.string("text"));
        }
        return texts;
    }

    @Override
    public String name() {
        return "translate";
    }

    @Override
    public Stream<WorkItem<JsonRow>> items() {
        Stream<JsonRow> rows = JsonRows.stream(file);
        return (limit > 0 ? rows.limit(limit) : rows).map(row -> new WorkItem<>(row.id("question_id"), call(row), row));
    }

    private ChatCall call(JsonRow row) {
        return new ChatCall(model, List.of(ChatMessage.system(Translation.SYSTEM_PROMPT),
                ChatMessage.user(PROMPT.formatted(targetLanguage, Json.line(texts(row))))), sampling);
    }

    @Override
    public ObjectNode toRow(WorkItem<JsonRow> item, ChatReply reply) throws TeacherException {
        ObjectNode source = texts(item.source());
        JsonNode translated = Translation.parseObject(reply.content());
        List<String> texts = new ArrayList<>();
        for (String key : (Iterable<String>) source::fieldNames) {
            String text = Translation.text(translated, key);
            Translation.requireProtectedText(source.get(key).asText(), text);
            texts.add(text);
        }
        ObjectNode row = item.source().node().deepCopy();
        ObjectNode holder = row.has("choices") ? (ObjectNode) row.get("choices").get(0) : row;
        if (holder.has("turns")) {
            ArrayNode turns = holder.putArray("turns");
            texts.forEach(turns::add);
            row.set("source_turns", item.source().node().has("choices")
                    ? item.source().node().get("choices").get(0).get("turns") : item.source().node().get("turns"));
        } else {
            row.put("text", texts.get(0));
            row.put("source_text", item.source().node().get("text").asText());
        }
        if (answers) {
            row.put("model_id", item.source().string("model_id") + modelSuffix);
        }
        row.put("translation_model", reply.model());
        row.put("truncated", reply.truncated());
        return row;
    }
}
