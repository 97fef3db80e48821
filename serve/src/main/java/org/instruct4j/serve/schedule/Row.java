package org.instruct4j.serve.schedule;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.PrefixCache;
import org.instruct4j.model.generate.GenerationRow;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * A job in the scheduler: waiting, then a {@link GenerationRow} of the engine with the job's constraint and
 * log-probability reader, then finished. Used by the scheduler's thread only (but for the ticket).
 */
final class Row implements AutoCloseable {
    private final Job job;
    private final Ticket ticket;
    private GenerationRow generation;
    private TokenConstraint constraint;
    private LogprobReader logprobReader;
    private final List<TokenLogprobs> logprobs = new ArrayList<>();
    private long startNanos;
    private int stepsSinceCancel;
    /** The row with the same prompt that reads it first (the prefix cache then has it), or null. */
    private Row leader;
    private boolean sampled;
    private boolean closed;

    Row(Job job, Ticket ticket) {
        this.job = job;
        this.ticket = ticket;
    }

    Job job() {
        return job;
    }

    Ticket ticket() {
        return ticket;
    }

    /**
     * Opens the row's sequence in the engine (its KV cache), at {@code nanos}, from the longest prefix of its prompt
     * {@code prefixCache} holds (when there is one); returns how many prompt tokens that saved.
     */
    int start(InferenceEngine engine, Tokenizer tokenizer, PrefixCache prefixCache, long nanos) {
        startNanos = nanos;
        generation = new GenerationRow(engine, tokenizer, job.prompt(), job.config(), prefixCache);
        constraint = job.constraint() == null ? null : job.constraint().get();
        logprobReader = job.topLogprobs() < 0 ? null : new LogprobReader(Math.min(job.topLogprobs(), engine.vocabSize()));
        return job.prompt().length - generation.promptLeft();
    }

    /** This row starts once {@code first} has read the prompt they share, or has left. */
    void follow(Row first) {
        leader = first;
    }

    /** Whether the row waits for its leader to read their prompt (so that it copies it rather than reads it too). */
    boolean waitsForLeader() {
        return leader != null && !leader.sampled && !leader.closed;
    }

    /** Whether the row has sampled a token (or ended at its first): its prompt is read, and in the prefix cache. */
    boolean sampled() {
        return sampled;
    }

    long startNanos() {
        return startNanos;
    }

    boolean readingPrompt() {
        return generation.promptLeft() > 0;
    }

    /** Adds up to {@code budget} more prompt tokens to the batch; returns how many. */
    int addPromptChunk(Batch batch, int budget) {
        int chunk = Math.min(generation.promptLeft(), budget);
        if (chunk > 0) {
            generation.addTo(batch, chunk);
        }
        return chunk;
    }

    void addLastToken(Batch batch) {
        generation.addTo(batch, 0);
    }

    /** Whether the last pass left this row logits to sample from. */
    boolean readyToSample() {
        return generation.readyToSample();
    }

    /**
     * Samples the row's next token: its log-probabilities read first, then the constraint's mask, the row's own
     * sampler, and the constraint follows the token (ending the row when its value is complete).
     */
    void sample() {
        float[] logits = generation.logits();
        if (logprobReader != null) {
            logprobReader.read(logits);
        }
        if (constraint != null && !constraint.mask(logits)) {
            job.listener().onStep(generation.stop(), null);
            sampled = true;
            return;
        }
        int producedBefore = generation.produced();
        String piece = generation.next();
        int token = generation.lastToken();
        TokenLogprobs tokenLogprobs = null;
        if (logprobReader != null && generation.produced() > producedBefore) {
            tokenLogprobs = logprobReader.of(token, logits);
            logprobs.add(tokenLogprobs);
        }
        if (constraint != null && !generation.finished()) {
            constraint.accept(token);
            if (constraint.complete()) {
                piece += generation.stop();
            }
        }
        job.listener().onStep(piece, tokenLogprobs);
        sampled = true;
    }

    boolean finished() {
        return generation.finished();
    }

    void complete() {
        ticket.complete(new JobResult(generation.result(), logprobReader == null ? null : List.copyOf(logprobs)));
    }

    void countStepAfterCancel() {
        stepsSinceCancel++;
    }

    int stepsSinceCancel() {
        return stepsSinceCancel;
    }

    @Override
    public void close() {
        closed = true;
        if (generation != null) {
            generation.close();
        }
    }
}
