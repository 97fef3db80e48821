package org.instruct4j.eval.rouge;

/** One row to score: its id, the model's prediction and the reference (ground truth). */
public record RougeRow(String id, String prediction, String reference) {}
