package org.instruct4j.eval.rerank;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.eval.qa.EvalQuestion;

/**
 * Best-of-n by a reward model, GPT-4-LLM's "R1": several candidate answers per question go in, the one the scorer
 * rates highest comes out, carrying its reward and the rewards of all candidates. Reads either
 * <ul>
 *   <li>FastChat answers {@code {question_id, text, model_id, ...}}, several per question (what {@code eval answer
 *       --best-of} samples), whose questions come from the questions file; or</li>
 *   <li>instruction rows {@code {id, instruction, input, output}}, the candidates of one instruction sharing an id
 *       (or, without ids, the same instruction and input).</li>
 * </ul>
 * Every row is read and checked before anything is scored; the output keeps the input's order of questions and is
 * written atomically.
 */
public final class Reranker {
    private final ResponseScorer scorer;

    public Reranker(ResponseScorer scorer) {
        this.scorer = scorer;
    }

    /** The candidates of one question: their rows, and the text of each to score. */
    record Group(String instruction, String input, List<ObjectNode> rows, List<String> texts) {
        Group(String instruction, String input) {
            this(instruction, input, new ArrayList<>(), new ArrayList<>());
        }

        void add(JsonRow row, String text) {
            rows.add(row.node());
            texts.add(text);
        }
    }

    /** The candidates of every question of a file, read and checked; in the file's order of questions. */
    public record Candidates(List<Group> groups) {}

    /** Reads {@code input}; {@code questions} (may be empty) are those FastChat answers refer to. */
    public static Candidates read(Path input, List<EvalQuestion> questions) {
        Map<String, EvalQuestion> byKey = new LinkedHashMap<>();
        questions.forEach(q -> byKey.put(q.key(), q));
        Map<String, Group> groups = new LinkedHashMap<>();
        try (JsonRows rows = JsonRows.open(input)) {
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                if (row.node().has("question_id")) {
                    String key = row.id("question_id");
                    EvalQuestion question = byKey.get(key);
                    if (question == null) {
                        throw row.error("question_id", byKey.isEmpty()
                                ? "FastChat answers name questions by id: give the questions file (--questions)"
                                : "no question " + key + " in the questions file");
                    }
                    groups.computeIfAbsent("q" + key, k -> new Group(question.instruction(), question.input()))
                            .add(row, row.string("text"));
                } else {
                    String instruction = row.string("instruction");
                    String inputText = row.optionalString("input", "");
                    String key = row.node().has("id") ? "i" + row.id("id") : "t" + instruction + "\u0000" + inputText;
                    Group group = groups.computeIfAbsent(key, k -> new Group(instruction, inputText));
                    if (!group.instruction().equals(instruction) || !group.input().equals(inputText)) {
                        throw row.error("instruction", "differs from the instruction of the earlier rows with id " + row.id("id"));
                    }
                    group.add(row, row.string("output"));
                }
            }
        }
        return new Candidates(List.copyOf(groups.values()));
    }

    /** Writes the best candidate of every question of {@code candidates} to {@code output}; returns the number of questions. */
    public int rank(Candidates candidates, Path output) {
        StringBuilder lines = new StringBuilder();
        for (Group group : candidates.groups()) {
            lines.append(Json.line(best(group))).append('\n');
        }
        AtomicFiles.writeString(output, lines.toString());
        return candidates.groups().size();
    }

    /**
     * The best-rated of {@code rows} (FastChat answers or instruction rows, whose texts are {@code texts}), with its
     * reward, the number of candidates and the rewards of all of them (in order) added: to the metadata of a
     * FastChat answer, to the row itself otherwise.
     */
    public ObjectNode best(String instruction, String input, List<ObjectNode> rows, List<String> texts) {
        return best(new Group(instruction, input, rows, texts));
    }

    private ObjectNode best(Group group) {
        double[] rewards = scorer.score(group.instruction(), group.input(), group.texts());
        int best = 0;
        for (int i = 1; i < rewards.length; i++) {
            if (rewards[i] > rewards[best]) {
                best = i;
            }
        }
        ObjectNode row = group.rows().get(best).deepCopy();
        ObjectNode target = row.has("question_id") ? metadata(row) : row;
        target.put("reward", rewards[best]);
        target.put("best_of", rewards.length);
        ArrayNode all = target.putArray("rewards");
        for (double reward : rewards) {
            all.add(reward);
        }
        return row;
    }

    private static ObjectNode metadata(ObjectNode row) {
        return row.get("metadata") instanceof ObjectNode metadata ? metadata : row.putObject("metadata");
    }
}
