package org.instruct4j.eval.report;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.eval.judge.ScoreParser;

/**
 * One review file read as a comparison of model A (Assistant 1 of its unswapped reviews) with model B: each
 * question's scores from A's side, in the order A first and, when the file also holds swapped reviews, B first.
 *
 * <p>Models are named by the reviews' metadata, else by the answer ids of the given answer files, else by FastChat's
 * file naming {@code review_A_B.jsonl}, else "assistant 1" and "assistant 2". Categories come from the given
 * questions, else from the reviews' metadata.
 */
public final class PairwiseComparison {
    private static final String FILE_PREFIX = "review_";

    private final Path file;
    private final String modelA;
    private final String modelB;
    private final Map<String, double[]> aFirst = new TreeMap<>(PairwiseComparison::questionOrder);
    private final Map<String, double[]> bFirst = new TreeMap<>(PairwiseComparison::questionOrder);
    private final Map<String, String> categories = new HashMap<>();
    private final Set<String> recoveredAFirst = new TreeSet<>(PairwiseComparison::questionOrder);
    private final Set<String> recoveredBFirst = new TreeSet<>(PairwiseComparison::questionOrder);

    /** How often the verdict (A better, tie, B better) changed when the answers changed places. */
    public record Flips(int flipped, int compared) {
        public double rate() {
            return compared == 0 ? Double.NaN : (double) flipped / compared;
        }
    }

    private PairwiseComparison(Path file, String modelA, String modelB) {
        this.file = file;
        this.modelA = modelA;
        this.modelB = modelB;
    }

    public static PairwiseComparison of(ReviewFile.Pairwise reviews, Map<String, String> modelByAnswerId,
            Map<String, String> categoryByQuestion) {
        if (reviews.reviews().isEmpty()) {
            throw new BadInputException(reviews.file() + ": no reviews");
        }
        PairwiseReview first = reviews.reviews().get(0);
        String[] firstNames = names(first, reviews.file(), modelByAnswerId);
        PairwiseComparison comparison = first.swapped()
                ? new PairwiseComparison(reviews.file(), firstNames[1], firstNames[0])
                : new PairwiseComparison(reviews.file(), firstNames[0], firstNames[1]);
        for (PairwiseReview review : reviews.reviews()) {
            comparison.add(review, names(review, reviews.file(), modelByAnswerId), categoryByQuestion);
        }
        return comparison;
    }

    private void add(PairwiseReview review, String[] names, Map<String, String> categoryByQuestion) {
        String expectedFirst = review.swapped() ? modelB : modelA;
        String expectedSecond = review.swapped() ? modelA : modelB;
        if (!names[0].equals(expectedFirst) || !names[1].equals(expectedSecond)) {
            throw new BadInputException(file + ": question " + review.questionKey() + " compares " + names[0] + " with "
                    + names[1] + ", but the file compares " + modelA + " with " + modelB + "; give one comparison per file");
        }
        Map<String, double[]> order = review.swapped() ? bFirst : aFirst;
        double[] fromA = review.swapped() ? new double[] {review.score2(), review.score1()}
                : new double[] {review.score1(), review.score2()};
        if (order.put(review.questionKey(), fromA) != null) {
            throw new BadInputException(file + ": question " + review.questionKey() + " is reviewed twice in the same order");
        }
        if (review.recovered()) {
            (review.swapped() ? recoveredBFirst : recoveredAFirst).add(review.questionKey());
        }
        String category = categoryByQuestion.getOrDefault(review.questionKey(), review.category());
        categories.put(review.questionKey(), category == null ? "all" : category);
    }

    private static String[] names(PairwiseReview review, Path file, Map<String, String> modelByAnswerId) {
        if (review.model1() != null && review.model2() != null) {
            return new String[] {review.model1(), review.model2()};
        }
        String byId1 = modelByAnswerId.get(review.answer1Id());
        String byId2 = modelByAnswerId.get(review.answer2Id());
        if (byId1 != null && byId2 != null) {
            return new String[] {byId1, byId2};
        }
        String name = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
        int separator = name.indexOf('_', FILE_PREFIX.length());
        if (name.startsWith(FILE_PREFIX) && separator > FILE_PREFIX.length() && separator < name.length() - 1) {
            return new String[] {name.substring(FILE_PREFIX.length(), separator), name.substring(separator + 1)};
        }
        return new String[] {"assistant 1", "assistant 2"};
    }

    public Path file() {
        return file;
    }

    public String modelA() {
        return modelA;
    }

    public String modelB() {
        return modelB;
    }

    public boolean hasSwappedOrder() {
        return !bFirst.isEmpty();
    }

    public boolean hasForwardOrder() {
        return !aFirst.isEmpty();
    }

    /** The questions with A's answer shown first. */
    public Outcome aFirst() {
        return sum(aFirst);
    }

    /** The questions with B's answer shown first (the swapped reviews). */
    public Outcome bFirst() {
        return sum(bFirst);
    }

    /** Both orders together: the average of the two when the file holds both. */
    public Outcome combined() {
        return aFirst().plus(bFirst());
    }

    /** Both orders together, per question category, categories in alphabetical order. */
    public Map<String, Outcome> perCategory() {
        Map<String, Outcome> outcomes = new TreeMap<>();
        for (Map<String, double[]> order : List.of(aFirst, bFirst)) {
            order.forEach((question, s) -> outcomes.merge(categories.get(question), Outcome.EMPTY.plus(s[0], s[1]), Outcome::plus));
        }
        return outcomes;
    }

    /** Questions judged readably in both orders whose verdict differs between them (position bias). */
    public Flips flips() {
        int flipped = 0;
        int compared = 0;
        for (Map.Entry<String, double[]> entry : aFirst.entrySet()) {
            double[] forward = entry.getValue();
            double[] backward = bFirst.get(entry.getKey());
            if (backward == null || ScoreParser.failed(forward[0], forward[1]) || ScoreParser.failed(backward[0], backward[1])) {
                continue;
            }
            compared++;
            if (Double.compare(forward[0], forward[1]) != Double.compare(backward[0], backward[1])) {
                flipped++;
            }
        }
        return new Flips(flipped, compared);
    }

    /** Questions whose review had no readable scores (-1), with " (B first)" for swapped reviews. */
    public List<String> failedQuestions() {
        List<String> failed = new ArrayList<>();
        aFirst.forEach((q, s) -> {
            if (ScoreParser.failed(s[0], s[1])) {
                failed.add(q);
            }
        });
        bFirst.forEach((q, s) -> {
            if (ScoreParser.failed(s[0], s[1])) {
                failed.add(q + " (B first)");
            }
        });
        return failed;
    }

    /** Questions whose scores only the lenient parser read, with " (B first)" for swapped reviews. */
    public List<String> recoveredQuestions() {
        List<String> recovered = new ArrayList<>(recoveredAFirst);
        recoveredBFirst.forEach(q -> recovered.add(q + " (B first)"));
        return recovered;
    }

    /**
     * Each question's verdict from A's side as FastChat's show_result counts a match: 1 when every order judged says A
     * is better, 0 when every order says B, 0.5 for a tie or orders that disagree; questions with an unreadable review
     * are left out.
     */
    public Map<String, Double> preferences() {
        Map<String, Double> preferences = new TreeMap<>(PairwiseComparison::questionOrder);
        Set<String> questions = new TreeSet<>(PairwiseComparison::questionOrder);
        questions.addAll(aFirst.keySet());
        questions.addAll(bFirst.keySet());
        for (String question : questions) {
            double[] forward = aFirst.get(question);
            double[] backward = bFirst.get(question);
            if ((forward != null && ScoreParser.failed(forward[0], forward[1]))
                    || (backward != null && ScoreParser.failed(backward[0], backward[1]))) {
                continue;
            }
            double one = verdict(forward != null ? forward : backward);
            double other = verdict(backward != null ? backward : forward);
            preferences.put(question, one == other ? one : 0.5);
        }
        return preferences;
    }

    private static double verdict(double[] scores) {
        return scores[0] > scores[1] ? 1 : scores[0] < scores[1] ? 0 : 0.5;
    }

    /** Question ids in their natural order: numbers by value, "task_2" before "task_10". */
    static int questionOrder(String a, String b) {
        String[] pa = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        String[] pb = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            boolean numbers = pa[i].chars().allMatch(Character::isDigit) && pb[i].chars().allMatch(Character::isDigit);
            int c = numbers ? new BigInteger(pa[i]).compareTo(new BigInteger(pb[i])) : pa[i].compareTo(pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    private static Outcome sum(Map<String, double[]> scores) {
        Outcome outcome = Outcome.EMPTY;
        for (double[] s : scores.values()) {
            outcome = outcome.plus(s[0], s[1]);
        }
        return outcome;
    }
}
