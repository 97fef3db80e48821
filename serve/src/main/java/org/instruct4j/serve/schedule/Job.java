package org.instruct4j.serve.schedule;

import java.util.function.Supplier;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.generate.GenerationConfig;

/**
 * One generation to run: a prompt (token ids, BOS included), its own settings (length, sampling, seed, stop
 * strings), how many top alternatives to report with each token's log-probability (-1: no log-probabilities), an
 * optional constraint on the output (a fresh one per row, made on the scheduler's thread when the row starts) and a
 * listener for its progress.
 */
public record Job(int[] prompt, GenerationConfig config, int topLogprobs, Supplier<TokenConstraint> constraint,
                  JobListener listener) {
    public Job {
        if (prompt.length == 0) {
            throw new BadInputException("empty prompt: add at least a BOS token");
        }
        if (topLogprobs < -1) {
            throw new IllegalArgumentException("topLogprobs must be -1 (none) or at least 0, got " + topLogprobs);
        }
    }

    /** A plain generation: no log-probabilities, no constraint, no listener. */
    public static Job of(int[] prompt, GenerationConfig config) {
        return new Job(prompt, config, -1, null, JobListener.NONE);
    }

    /** Tokens the row holds at most: what it reserves of the batch's KV cache. */
    int capacity() {
        return prompt.length + config.maxNewTokens();
    }
}
