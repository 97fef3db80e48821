package org.instruct4j.train.preference;

import java.util.List;

/** Counts over comparison groups, and the length-only baseline every preference model should be compared with. */
public final class Comparisons {
    private Comparisons() {}

    public static int pairs(List<ComparisonGroup> groups) {
        return groups.stream().mapToInt(g -> g.pairs().size()).sum();
    }

    /** One line for the log: groups, the pairs they give, the ties skipped and the groups left without a pair. */
    public static String summary(List<ComparisonGroup> groups) {
        int ties = groups.stream().mapToInt(ComparisonGroup::ties).sum();
        long empty = groups.stream().filter(g -> g.pairs().isEmpty()).count();
        int responses = groups.stream().mapToInt(g -> g.responses().size()).sum();
        return String.format("%,d prompts with %,d responses: %,d pairs with different scores, %,d ties skipped%s",
                groups.size(), responses, pairs(groups), ties, empty == 0 ? "" : String.format(" (%,d prompts without any pair)", empty));
    }

    /** A pair's credit towards pairwise accuracy from (better - worse): ranked right 1, a tie one half, wrong 0. */
    public static double credit(double difference) {
        return difference > 0 ? 1 : difference == 0 ? 0.5 : 0;
    }

    /**
     * The share of pairs in which the longer response (in characters) is the better one, a tie in length counting
     * one half: what a "reward model" that only measures length scores. GPT-4 prefers long answers, so this baseline
     * is strong on its comparison data.
     */
    public static double longerWins(List<ComparisonGroup> groups) {
        double right = 0;
        int pairs = 0;
        for (ComparisonGroup group : groups) {
            for (ComparisonGroup.Pair pair : group.pairs()) {
                int better = group.responses().get(pair.higher()).text().length();
                int worse = group.responses().get(pair.lower()).text().length();
                right += credit(better - worse);
                pairs++;
            }
        }
        return pairs == 0 ? Double.NaN : right / pairs;
    }
}
