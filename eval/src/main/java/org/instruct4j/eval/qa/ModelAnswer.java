package org.instruct4j.eval.qa;

/** One model's answer to one question: FastChat's {@code answer_id}, {@code model_id} and {@code text}. */
public record ModelAnswer(String questionKey, String answerId, String modelId, String text) {}
