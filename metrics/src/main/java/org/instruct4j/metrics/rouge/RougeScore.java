package org.instruct4j.metrics.rouge;

/** Precision, recall and F-measure of one ROUGE type for one (target, prediction) pair. */
public record RougeScore(double precision, double recall, double fmeasure) {

    /** The score rouge-score reports when either side has no tokens. */
    public static final RougeScore ZERO = new RougeScore(0, 0, 0);

    /** A score whose F-measure is computed exactly as rouge-score's {@code scoring.fmeasure}. */
    public static RougeScore of(double precision, double recall) {
        return new RougeScore(precision, recall, fmeasure(precision, recall));
    }

    /**
     * rouge-score's {@code 2 * precision * recall / (precision + recall)}, in the same operation order so that
     * results are bit-identical, and 0 when both are 0.
     */
    public static double fmeasure(double precision, double recall) {
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    }
}
