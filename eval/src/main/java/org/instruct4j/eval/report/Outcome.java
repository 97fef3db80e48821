package org.instruct4j.eval.report;

import org.instruct4j.eval.judge.ScoreParser;

/**
 * Judged questions summed up from model A's side: score sums over the questions whose review could be read
 * (FastChat leaves out a review with a -1 score and counts it as failed), and A's wins, ties and losses.
 */
public record Outcome(double sumA, double sumB, int winsA, int ties, int winsB, int failed) {
    public static final Outcome EMPTY = new Outcome(0, 0, 0, 0, 0, 0);

    public Outcome plus(double scoreA, double scoreB) {
        if (ScoreParser.failed(scoreA, scoreB)) {
            return new Outcome(sumA, sumB, winsA, ties, winsB, failed + 1);
        }
        return new Outcome(sumA + scoreA, sumB + scoreB, winsA + (scoreA > scoreB ? 1 : 0), ties + (scoreA == scoreB ? 1 : 0),
                winsB + (scoreA < scoreB ? 1 : 0), failed);
    }

    public Outcome plus(Outcome other) {
        return new Outcome(sumA + other.sumA, sumB + other.sumB, winsA + other.winsA, ties + other.ties,
                winsB + other.winsB, failed + other.failed);
    }

    /** Questions with a readable review. */
    public int judged() {
        return winsA + ties + winsB;
    }

    /** The paper's relative score (Figure 4): A's sum over B's sum; NaN when B's sum is 0. */
    public double relative() {
        return sumB == 0 ? Double.NaN : sumA / sumB;
    }
}
