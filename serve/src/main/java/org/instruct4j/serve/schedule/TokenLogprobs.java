package org.instruct4j.serve.schedule;

/**
 * A sampled token's log-probability under the model (the log-softmax of its raw logits, before temperature, top-p
 * or a constraint, as vLLM reports by default) and the {@code topTokens.length} most likely tokens with theirs,
 * most likely first.
 */
public record TokenLogprobs(int token, float logprob, int[] topTokens, float[] topLogprobs) {}
