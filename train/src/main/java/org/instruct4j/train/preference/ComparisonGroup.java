package org.instruct4j.train.preference;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.data.AlpacaExample;

/**
 * One instruction (and input) with K rated responses, as comparison data holds them: v2 rows carry GPT-4's 1-10
 * scores, v1 rows and chosen/rejected pairs become two responses scored 1 and 0. {@code row} is the group's
 * 0-based position in its file.
 */
public record ComparisonGroup(long row, String instruction, String input, List<RatedResponse> responses) {

    /** A response, its score (higher is better) and which model wrote it (or the role it had in the file). */
    public record RatedResponse(String text, double score, String source) {}

    /** Two responses of the group: {@code higher} scored above {@code lower}, by {@code scoreGap} > 0. */
    public record Pair(int higher, int lower, double scoreGap) {}

    public ComparisonGroup {
        responses = List.copyOf(responses);
    }

    /** Every two responses with different scores, C(K, 2) less the ties, in response order. */
    public List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            for (int j = i + 1; j < responses.size(); j++) {
                double a = responses.get(i).score(), b = responses.get(j).score();
                if (a > b) {
                    pairs.add(new Pair(i, j, a - b));
                } else if (b > a) {
                    pairs.add(new Pair(j, i, b - a));
                }
            }
        }
        return pairs;
    }

    /** Pairs of responses with the same score: they say nothing about which is better and are skipped. */
    public int ties() {
        int k = responses.size();
        return k * (k - 1) / 2 - pairs().size();
    }

    /** Response {@code i} as an instruction-following example (the form every recipe tokenizes). */
    public AlpacaExample example(int i) {
        return new AlpacaExample(instruction, input, responses.get(i).text());
    }
}
