package org.instruct4j.serve.schedule;

/**
 * What one row's output must stay within (a JSON value, a JSON Schema): it masks the tokens that would break it
 * before each sample and follows the tokens sampled. Used by the scheduler's thread only.
 */
public interface TokenConstraint {

    /**
     * Sets the logit of every token that would break the constraint to negative infinity (the end-of-sequence token
     * stays only where the output may end). Returns false when no token is left (the row must end).
     */
    boolean mask(float[] logits);

    /** Follows the token just sampled (one {@link #mask} allowed). */
    void accept(int token);

    /** Whether the output is complete and nothing may follow it, so the row ends here. */
    boolean complete();
}
