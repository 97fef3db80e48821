package org.instruct4j.eval.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.instruct4j.eval.judge.ScoreParser;

/**
 * FastChat's {@code show_result.py}, as it prints MT-bench results (with pandas' whole width): for single grading the
 * mean score per model on the first turn, the second turn and both, leaving out judgments without a rating (-1); for
 * pairwise judging ({@code --mode pairwise-all}) each model's wins, losses and ties, where a match whose two games
 * disagree is a tie and a match with an unreadable game is left out, and its win rates (a tie counts half in
 * {@code win_rate_adjusted}). Rows are sorted by score, best first; equal scores keep the models' alphabetical order.
 */
final class ShowResult {
    private ShowResult() {}

    static String single(ReviewFile.Single file) {
        StringBuilder out = new StringBuilder("Mode: single\nInput file: ").append(file.file()).append('\n');
        List<SingleJudgment> rated = file.judgments().stream().filter(j -> j.score() != ScoreParser.UNPARSABLE).toList();
        out.append("\n########## First turn ##########\n").append(turnTable(rated, 1));
        if (file.judgments().stream().anyMatch(j -> j.turn() == 2)) {
            out.append("\n########## Second turn ##########\n").append(turnTable(rated, 2));
            PandasTable average = new PandasTable(List.of("model"), List.of("score"));
            sortedByScore(means(rated, j -> true)).forEach(e -> average.row(List.of(e.getKey()), List.of(e.getValue())));
            out.append("\n########## Average ##########\n").append(average.render());
        }
        return out.toString();
    }

    private static String turnTable(List<SingleJudgment> rated, int turn) {
        PandasTable table = new PandasTable(List.of("model", "turn"), List.of("score"));
        sortedByScore(means(rated, j -> j.turn() == turn))
                .forEach(e -> table.row(List.of(e.getKey(), Integer.toString(turn)), List.of(e.getValue())));
        return table.render();
    }

    private static Map<String, Double> means(List<SingleJudgment> rated, Predicate<SingleJudgment> keep) {
        Map<String, double[]> sums = new TreeMap<>();
        rated.stream().filter(keep).forEach(j -> {
            double[] sum = sums.computeIfAbsent(j.model(), m -> new double[2]);
            sum[0] += j.score();
            sum[1]++;
        });
        Map<String, Double> means = new TreeMap<>();
        sums.forEach((model, sum) -> means.put(model, sum[0] / sum[1]));
        return means;
    }

    private static List<Map.Entry<String, Double>> sortedByScore(Map<String, Double> byModel) {
        List<Map.Entry<String, Double>> rows = new ArrayList<>(byModel.entrySet());
        rows.sort(Comparator.comparing((Map.Entry<String, Double> e) -> e.getValue()).reversed());
        return rows;
    }

    /** A model's matches: wins, losses, ties. */
    private record Record(int win, int loss, int tie) {
        Record plus(int w, int l, int t) {
            return new Record(win + w, loss + l, tie + t);
        }

        int matches() {
            return win + loss + tie;
        }

        double adjusted() {
            return (win + 0.5 * tie) / matches();
        }
    }

    static String pairwise(ReviewFile.Verdicts file) {
        Map<String, Record> records = new TreeMap<>();
        for (PairVerdict v : file.verdicts()) {
            if (v.error()) {
                continue;
            }
            double preference = v.preference();
            if (preference == 0.5) {
                records.merge(v.model1(), new Record(0, 0, 1), (a, b) -> a.plus(0, 0, 1));
                records.merge(v.model2(), new Record(0, 0, 1), (a, b) -> a.plus(0, 0, 1));
            } else {
                String winner = preference == 1 ? v.model1() : v.model2();
                String loser = preference == 1 ? v.model2() : v.model1();
                records.merge(winner, new Record(1, 0, 0), (a, b) -> a.plus(1, 0, 0));
                records.merge(loser, new Record(0, 1, 0), (a, b) -> a.plus(0, 1, 0));
            }
        }
        List<Map.Entry<String, Record>> rows = new ArrayList<>(records.entrySet());
        rows.sort(Comparator.comparing((Map.Entry<String, Record> e) -> e.getValue().adjusted()).reversed());
        PandasTable table = new PandasTable(List.of("model"),
                List.of("win", "loss", "tie", "win_rate", "loss_rate", "win_rate_adjusted"));
        for (Map.Entry<String, Record> e : rows) {
            Record r = e.getValue();
            table.row(List.of(e.getKey()), List.of(r.win(), r.loss(), r.tie(), (double) r.win() / r.matches(),
                    (double) r.loss() / r.matches(), r.adjusted()));
        }
        return "Mode: pairwise-all\nInput file: " + file.file() + "\n" + table.render();
    }
}
