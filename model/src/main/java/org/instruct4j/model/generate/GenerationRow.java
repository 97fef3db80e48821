package org.instruct4j.model.generate;

import java.util.Arrays;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.PrefixCache;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.generate.Generation.FinishReason;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * One prompt being continued, the unit a scheduler moves through an {@link InferenceEngine}: its row of the engine,
 * its own settings and seeded {@link TokenSampler}, its output tokens and its text ({@link TextStream}: incremental,
 * stop strings held back and cut). A step is {@link #addTo} (the next chunk of the prompt, or the last sampled
 * token), the engine's forward pass over all rows, then {@link #next} for every row {@link #readyToSample()}.
 * Rows join and leave between steps at will; each row's tokens are exactly what it would produce alone.
 */
public final class GenerationRow implements AutoCloseable {
    private final Sequence sequence;
    private final int[] prompt;
    private final GenerationConfig config;
    private final TokenSampler sampler;
    private final TextStream text;
    private final int eosId;
    private final PrefixCache prefixCache;
    private boolean promptRemembered;
    private int[] output = new int[16];
    private int produced;
    private int promptRead;
    private int lastToken;
    private boolean ready;
    private FinishReason finishReason;

    /** Opens a row of {@code engine} for {@code prompt} (token ids, BOS included if the model wants one). */
    public GenerationRow(InferenceEngine engine, Tokenizer tokenizer, int[] prompt, GenerationConfig config) {
        this(engine, tokenizer, prompt, config, null);
    }

    /**
     * The same, with a prefix cache (or null): the row starts from the longest cached prefix of its prompt (all but
     * the prompt's last token, whose logits it needs), and leaves the cache its prompt once read and everything it
     * read when it finishes (the next turn of a conversation begins with it).
     */
    public GenerationRow(InferenceEngine engine, Tokenizer tokenizer, int[] prompt, GenerationConfig config, PrefixCache prefixCache) {
        if (prompt.length == 0) {
            throw new BadInputException("empty prompt: add at least a BOS token");
        }
        this.prompt = prompt;
        this.config = config;
        this.sampler = new TokenSampler(config, engine.vocabSize());
        this.sampler.observe(prompt);
        this.text = new TextStream(tokenizer, prompt, config.stopStrings());
        this.eosId = tokenizer.eosId();
        this.sequence = engine.newSequence(prompt.length + config.maxNewTokens());
        this.prefixCache = prefixCache;
        if (prefixCache != null) {
            promptRead = prefixCache.restore(sequence, prompt, prompt.length - 1);
        }
    }

    /**
     * Adds this row's next input to {@code batch}: up to {@code maxPromptTokens} more of its prompt (chunked prefill,
     * so a long prompt does not stall the other rows), or the token it sampled last.
     */
    public void addTo(Batch batch, int maxPromptTokens) {
        if (finished()) {
            throw new IllegalStateException("the row has finished (" + finishReason + ")");
        }
        if (promptRead < prompt.length) {
            int end = Math.min(prompt.length, promptRead + maxPromptTokens);
            batch.add(sequence, prompt, promptRead, end, end == prompt.length);
            promptRead = end;
            ready = end == prompt.length;
        } else {
            batch.add(sequence, lastToken);
            ready = true;
        }
    }

    /** Prompt tokens the row has yet to read (its cached prefix counts as read). */
    public int promptLeft() {
        return prompt.length - promptRead;
    }

    /** Whether the pass this row was last added to left next-token logits to sample from. */
    public boolean readyToSample() {
        return ready;
    }

    /** The next-token logits: read them (log-probabilities) or change them (constrained decoding) before {@link #next}. */
    public float[] logits() {
        return sequence.logits();
    }

    /** Samples the next token, appends it, and returns the text that became certain (often empty; all of it at the end). */
    public String next() {
        if (!ready || finished()) {
            throw new IllegalStateException("no logits to sample from: add the row to a batch and run it first");
        }
        ready = false;
        if (prefixCache != null && !promptRemembered) {
            prefixCache.remember(sequence, prompt, prompt.length);
            promptRemembered = true;
        }
        int token = sampler.next(sequence.logits());
        lastToken = token;
        if (config.stopAtEos() && token == eosId) {
            return finish(FinishReason.EOS, "");
        }
        if (produced == output.length) {
            output = Arrays.copyOf(output, produced * 2);
        }
        output[produced++] = token;
        sampler.observe(token);
        String piece = text.append(token);
        if (text.stopped()) {
            return finish(FinishReason.STOP_STRING, piece);
        }
        if (produced == config.maxNewTokens()) {
            return finish(FinishReason.LENGTH, piece);
        }
        return piece;
    }

    /** The token the last {@link #next} sampled (the end-of-sequence token too). */
    public int lastToken() {
        return lastToken;
    }

    /**
     * Ends the row now, as if it had produced its end-of-sequence token: a stop condition of the caller's own (a
     * constrained row whose value is complete). Returns the text not returned yet.
     */
    public String stop() {
        if (finished()) {
            throw new IllegalStateException("the row has finished (" + finishReason + ")");
        }
        return finish(FinishReason.EOS, "");
    }

    private String finish(FinishReason reason, String piece) {
        finishReason = reason;
        if (prefixCache != null) {
            int[] read = readTokens();
            prefixCache.remember(sequence, read, read.length);
        }
        sequence.close();
        return piece + text.finish();
    }

    /** The tokens the row's cache holds: its prompt, then its output but for the last token sampled (never read). */
    private int[] readTokens() {
        int[] read = Arrays.copyOf(prompt, sequence.length());
        for (int i = prompt.length; i < read.length; i++) {
            read[i] = output[i - prompt.length];
        }
        return read;
    }

    public boolean finished() {
        return finishReason != null;
    }

    /** Tokens generated so far. */
    public int produced() {
        return produced;
    }

    /** The whole generation, once {@link #finished()}. */
    public Generation result() {
        if (!finished()) {
            throw new IllegalStateException("the row has not finished");
        }
        return new Generation(Arrays.copyOf(output, produced), text.text(), finishReason);
    }

    /** Frees the row's engine memory (already done when it finishes); for a row abandoned midway. */
    @Override
    public void close() {
        sequence.close();
    }
}
