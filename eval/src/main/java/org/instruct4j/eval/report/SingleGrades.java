package org.instruct4j.eval.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.instruct4j.eval.judge.ScoreParser;

/** Single-answer judgments (every turn) summed up per model (in file order) and per question category. */
public final class SingleGrades {
    /** A model's scores: their sum over readable judgments, how many there were, how many had no rating. */
    public record Score(double sum, int graded, int failed) {
        static final Score EMPTY = new Score(0, 0, 0);

        Score plus(double score) {
            return score == ScoreParser.UNPARSABLE ? new Score(sum, graded, failed + 1) : new Score(sum + score, graded + 1, failed);
        }

        Score plus(Score other) {
            return new Score(sum + other.sum, graded + other.graded, failed + other.failed);
        }

        public double mean() {
            return graded == 0 ? Double.NaN : sum / graded;
        }
    }

    private final ReviewFile.Single source;
    private final Map<String, Score> perModel = new LinkedHashMap<>();
    private final Map<String, Map<String, Score>> perCategory = new TreeMap<>();

    private SingleGrades(ReviewFile.Single source) {
        this.source = source;
    }

    public static SingleGrades of(ReviewFile.Single judgments, Map<String, String> categoryByQuestion) {
        SingleGrades grades = new SingleGrades(judgments);
        for (SingleJudgment j : judgments.judgments()) {
            Score one = Score.EMPTY.plus(j.score());
            grades.perModel.merge(j.model(), one, Score::plus);
            String category = categoryByQuestion.getOrDefault(j.questionKey(), j.category() == null ? "all" : j.category());
            grades.perCategory.computeIfAbsent(category, c -> new LinkedHashMap<>()).merge(j.model(), one, Score::plus);
        }
        return grades;
    }

    public Path file() {
        return source.file();
    }

    /** The judgments as read. */
    public ReviewFile.Single source() {
        return source;
    }

    /** "question (model, turn t)" of every judgment whose rating only the lenient parser read. */
    public List<String> recovered() {
        return source.judgments().stream().filter(SingleJudgment::recovered)
                .map(j -> j.questionKey() + " (" + j.model() + ", turn " + j.turn() + ")").toList();
    }

    public Map<String, Score> perModel() {
        return perModel;
    }

    /** Category, then model. */
    public Map<String, Map<String, Score>> perCategory() {
        return perCategory;
    }
}
