package org.instruct4j.serve.schedule;

/** Hears a job's progress, on the scheduler's thread: it must return at once (queue the work, never block). */
@FunctionalInterface
public interface JobListener {
    JobListener NONE = (piece, logprobs) -> {};

    /**
     * Called after every step that sampled a token for the job: {@code piece} is the text that became certain (often
     * empty; at the end, all that was held back), {@code logprobs} the sampled token's log-probabilities when the job
     * asked for them and the token joined the output (null for the end-of-sequence token).
     */
    void onStep(String piece, TokenLogprobs logprobs);
}
