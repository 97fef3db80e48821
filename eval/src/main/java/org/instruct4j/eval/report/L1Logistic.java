package org.instruct4j.eval.report;

import java.util.List;

/**
 * L1-regularised logistic regression on one feature and a constant, without intercept, with soft labels: the
 * minimiser of {@code |w0| + |w1| + C * sum_i CE(p_i, sigmoid(w0 x_i + w1))}, which is what liblinear's L1 solver
 * (sklearn's {@code LogisticRegression(penalty="l1", solver="liblinear", fit_intercept=False)}) minimises when every row
 * is entered twice, with label 1 and weight p_i and with label 0 and weight 1 - p_i. The problem is convex and has two
 * unknowns, so cyclic coordinate descent with an exact one-dimensional step reaches its minimum.
 */
final class L1Logistic {
    private static final int MAX_SWEEPS = 10_000;
    private static final double TOLERANCE = 1e-12;

    private L1Logistic() {}

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** The weights {w0 (feature), w1 (constant)} fitted on {@code rows}. */
    static double[] fit(double[] x, double[] p, List<Integer> rows, double c) {
        double[] w = new double[2];
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double change = 0;
            for (int j = 0; j < 2; j++) {
                double before = w[j];
                w[j] = coordinate(x, p, rows, c, w, j);
                change = Math.max(change, Math.abs(w[j] - before));
            }
            if (change < TOLERANCE) {
                break;
            }
        }
        return w;
    }

    /** The exact minimiser of the objective along coordinate {@code j}: |t| + C * loss(t), with the other weight fixed. */
    private static double coordinate(double[] x, double[] p, List<Integer> rows, double c, double[] w, int j) {
        double slopeAtZero = c * derivative(x, p, rows, w, j, 0);
        if (Math.abs(slopeAtZero) <= 1) {
            return 0;
        }
        double sign = slopeAtZero < 0 ? 1 : -1;
        // on the side where the objective falls, solve C * loss'(t) + sign = 0; loss' is increasing (convexity)
        double low = 0;
        double high = sign;
        while (c * derivative(x, p, rows, w, j, high) * sign + 1 < 0) {
            low = high;
            high *= 2;
            if (Math.abs(high) > 1e6) {
                return high;
            }
        }
        for (int i = 0; i < 200; i++) {
            double mid = (low + high) / 2;
            if (c * derivative(x, p, rows, w, j, mid) * sign + 1 < 0) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** d/dt of sum_i CE(p_i, sigmoid(z_i)) with weight j set to t: sum_i (sigmoid(z_i) - p_i) * feature_j(i). */
    private static double derivative(double[] x, double[] p, List<Integer> rows, double[] w, int j, double t) {
        double w0 = j == 0 ? t : w[0];
        double w1 = j == 1 ? t : w[1];
        double sum = 0;
        for (int i : rows) {
            double feature = j == 0 ? x[i] : 1;
            sum += (sigmoid(w0 * x[i] + w1) - p[i]) * feature;
        }
        return sum;
    }
}
