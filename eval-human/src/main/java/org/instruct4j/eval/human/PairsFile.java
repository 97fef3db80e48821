package org.instruct4j.eval.human;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;

/** The items of a human evaluation, built from questions and two models' answers, read back with every row checked. */
public final class PairsFile {
    private PairsFile() {}

    /** One pair per question, in question order, pair id = question id; every question needs both answers. */
    public static List<Pair> build(List<EvalQuestion> questions, AnswerFile a, AnswerFile b) {
        if (a.modelId().equals(b.modelId())) {
            throw new BadInputException("both answer files are from model \"" + a.modelId() + "\"");
        }
        List<Pair> pairs = new ArrayList<>(questions.size());
        for (EvalQuestion q : questions) {
            pairs.add(new Pair(q.key(), q.questionId(), q.category(), q.text(), a.modelId(), a.answerTo(q).text(),
                    b.modelId(), b.answerTo(q).text()));
        }
        return pairs;
    }

    public static void write(Path file, List<Pair> pairs) {
        StringBuilder lines = new StringBuilder();
        pairs.forEach(p -> lines.append(Json.line(p.toJson())).append('\n'));
        AtomicFiles.writeString(file, lines.toString());
    }

    public static List<Pair> read(Path file) {
        List<Pair> pairs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                Pair pair = Pair.fromJson(row);
                if (!ids.add(pair.pairId())) {
                    throw row.error("pair_id", "duplicate pair id \"" + pair.pairId() + "\"");
                }
                pairs.add(pair);
            }
        }
        return pairs;
    }
}
