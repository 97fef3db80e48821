package org.instruct4j.eval.rerank;

import java.util.List;

/**
 * Scores candidate responses to one instruction (and its input), higher meaning better: a reward model. The
 * evaluation code only needs this, so it does not depend on the training stack that provides it.
 */
@FunctionalInterface
public interface ResponseScorer {
    double[] score(String instruction, String input, List<String> responses);
}
