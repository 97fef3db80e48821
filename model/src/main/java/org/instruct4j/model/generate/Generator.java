package org.instruct4j.model.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.KvCache;
import org.instruct4j.model.generate.Generation.FinishReason;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * Autoregressive decoding with a KV cache, for one prompt or a batch of prompts of different lengths. A batch
 * is left-padded: every row's newest token sits in the same cache slot, padding slots are masked out of
 * attention and each row counts its positions from its own first real token, so a row decodes exactly as it
 * would alone. Each forward pass runs in its own PointerScope, so native memory stays flat while decoding.
 */
public final class Generator {
    private final CausalLm model;
    private final Tokenizer tokenizer;

    public Generator(CausalLm model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Continues {@code prompt} (BOS is prepended). */
    public Generation generate(String prompt, GenerationConfig config) {
        return generate(List.of(prompt), config).get(0);
    }

    /** Continues each prompt (BOS is prepended), all in one batch. */
    public List<Generation> generate(List<String> prompts, GenerationConfig config) {
        int[][] ids = new int[prompts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.encode(prompts.get(i), true);
        }
        return generateFromIds(ids, config);
    }

    /** Continues each row of token ids, all in one batch. */
    public List<Generation> generateFromIds(int[][] prompts, GenerationConfig config) {
        return generateFromIds(prompts, config, null);
    }

    /**
     * Receives each row's text as it grows, for streaming. The pieces of a row, joined, equal its final
     * {@link Generation#text()}: text that may still turn out to start a stop string, or half of a character
     * whose bytes span several tokens, is held back until it is certain.
     */
    @FunctionalInterface
    public interface TextListener {
        void onText(int row, String piece);
    }

    /** Continues each row of token ids, all in one batch, telling {@code listener} (may be null) the new text. */
    public List<Generation> generateFromIds(int[][] prompts, GenerationConfig config, TextListener listener) {
        int batch = prompts.length;
        int longest = 0;
        for (int[] prompt : prompts) {
            if (prompt.length == 0) {
                throw new BadInputException("empty prompt: add at least a BOS token");
            }
            longest = Math.max(longest, prompt.length);
        }
        int capacity = longest + config.maxNewTokens();
        int vocab = model.vocabSize();
        Device device = model.device();
        Rows rows = new Rows(prompts, longest, capacity, vocab);
        Sampler sampler = new Sampler(config);
        try (NoGradGuard noGrad = new NoGradGuard(); KvCache cache = model.newCache(batch, capacity)) {
            long[] input = rows.paddedPrompts(tokenizer.padId());
            long[] positions = rows.promptPositions();
            int steps = longest;
            for (int produced = 0; produced < config.maxNewTokens() && !rows.allDone(); produced++) {
                float[] logits;
                try (PointerScope scope = new PointerScope()) {
                    Tensor ids = Tensors.longs(input, device, batch, steps);
                    Tensor pos = Tensors.longs(positions, device, batch, steps);
                    Tensor keyMask = rows.anyPadding ? Tensors.bools(rows.keyMask(cache.length() + steps), device,
                            batch, cache.length() + steps) : null;
                    logits = Tensors.toFloats(model.forward(ids, pos, keyMask, cache, true));
                }
                input = new long[batch];
                positions = nextPositions(positions, batch, steps);
                for (int b = 0; b < batch; b++) {
                    if (rows.done[b]) {
                        input[b] = tokenizer.padId();
                        continue;
                    }
                    int token = sampler.next(logits, b * vocab, vocab, rows.seen[b]);
                    input[b] = token;
                    rows.accept(b, token, config, tokenizer);
                    if (listener != null) {
                        rows.stream(b, listener, config, tokenizer, rows.done[b]);
                    }
                }
                steps = 1;
            }
        }
        List<Generation> results = rows.results(config, tokenizer);
        if (listener != null) {
            for (int b = 0; b < batch; b++) {
                rows.flush(b, listener, results.get(b).text());
            }
        }
        return results;
    }

    /** The position of each row's next token: one after its last. */
    private static long[] nextPositions(long[] positions, int batch, int steps) {
        long[] next = new long[batch];
        for (int b = 0; b < batch; b++) {
            next[b] = positions[b * steps + steps - 1] + 1;
        }
        return next;
    }

    /** Per-row state: prompt, output so far, which ids were seen, whether it finished and why. */
    private static final class Rows {
        final int[][] prompts;
        final int longest;
        final boolean anyPadding;
        final boolean[][] seen;
        final boolean[] done;
        final FinishReason[] reasons;
        final List<List<Integer>> outputs = new ArrayList<>();
        final String[] promptTexts;
        /** Characters of each row's text already given to a listener. */
        final int[] streamed;

        Rows(int[][] prompts, int longest, int capacity, int vocab) {
            this.prompts = prompts;
            this.longest = longest;
            this.anyPadding = Arrays.stream(prompts).anyMatch(p -> p.length != longest);
            this.seen = new boolean[prompts.length][vocab];
            this.done = new boolean[prompts.length];
            this.reasons = new FinishReason[prompts.length];
            this.promptTexts = new String[prompts.length];
            this.streamed = new int[prompts.length];
            for (int b = 0; b < prompts.length; b++) {
                outputs.add(new ArrayList<>());
                for (int id : prompts[b]) {
                    seen[b][id] = true;
                }
            }
        }

        long[] paddedPrompts(int padId) {
            long[] ids = new long[prompts.length * longest];
            for (int b = 0; b < prompts.length; b++) {
                int pad = longest - prompts[b].length;
                for (int t = 0; t < longest; t++) {
                    ids[b * longest + t] = t < pad ? padId : prompts[b][t - pad];
                }
            }
            return ids;
        }

        long[] promptPositions() {
            long[] positions = new long[prompts.length * longest];
            for (int b = 0; b < prompts.length; b++) {
                int pad = longest - prompts[b].length;
                for (int t = 0; t < longest; t++) {
                    positions[b * longest + t] = Math.max(0, t - pad);
                }
            }
            return positions;
        }

        /** Cache slots a row may attend to: all but its left padding. */
        boolean[] keyMask(int slots) {
            boolean[] mask = new boolean[prompts.length * slots];
            for (int b = 0; b < prompts.length; b++) {
                int pad = longest - prompts[b].length;
                Arrays.fill(mask, b * slots + pad, (b + 1) * slots, true);
            }
            return mask;
        }

        void accept(int b, int token, GenerationConfig config, Tokenizer tokenizer) {
            if (config.stopAtEos() && token == tokenizer.eosId()) {
                done[b] = true;
                reasons[b] = FinishReason.EOS;
                return;
            }
            outputs.get(b).add(token);
            seen[b][token] = true;
            if (!config.stopStrings().isEmpty() && stopIndex(text(b, tokenizer), config) >= 0) {
                done[b] = true;
                reasons[b] = FinishReason.STOP_STRING;
            }
        }

        /** Gives the listener the row's new text that is certain: not a possible stop-string start, not half a character. */
        void stream(int b, TextListener listener, GenerationConfig config, Tokenizer tokenizer, boolean finished) {
            if (finished) {
                return;
            }
            String text = text(b, tokenizer);
            int certain = text.length();
            while (certain > streamed[b] && text.charAt(certain - 1) == '\uFFFD') {
                certain--;
            }
            for (String stop : config.stopStrings()) {
                for (int keep = Math.min(stop.length() - 1, certain - streamed[b]); keep > 0; keep--) {
                    if (text.regionMatches(certain - keep, stop, 0, keep)) {
                        certain -= keep;
                        break;
                    }
                }
            }
            if (certain > streamed[b]) {
                listener.onText(b, text.substring(streamed[b], certain));
                streamed[b] = certain;
            }
        }

        /** Gives the listener whatever of the final text it has not had yet. */
        void flush(int b, TextListener listener, String finalText) {
            if (finalText.length() > streamed[b]) {
                listener.onText(b, finalText.substring(streamed[b]));
                streamed[b] = finalText.length();
            }
        }

        boolean allDone() {
            for (boolean d : done) {
                if (!d) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The row's output text. Decoded together with the prompt, because SentencePiece drops the leading
         * space of the first piece it decodes and the output's first piece usually starts with one.
         */
        String text(int b, Tokenizer tokenizer) {
            int[] output = outputs.get(b).stream().mapToInt(Integer::intValue).toArray();
            if (promptTexts[b] == null) {
                promptTexts[b] = tokenizer.decode(prompts[b]);
            }
            int[] all = Arrays.copyOf(prompts[b], prompts[b].length + output.length);
            System.arraycopy(output, 0, all, prompts[b].length, output.length);
            String full = tokenizer.decode(all);
            return full.startsWith(promptTexts[b]) ? full.substring(promptTexts[b].length()) : tokenizer.decode(output);
        }

        static int stopIndex(String text, GenerationConfig config) {
            int first = -1;
            for (String stop : config.stopStrings()) {
                int at = text.indexOf(stop);
                if (at >= 0 && (first < 0 || at < first)) {
                    first = at;
                }
            }
            return first;
        }

        List<Generation> results(GenerationConfig config, Tokenizer tokenizer) {
            List<Generation> results = new ArrayList<>();
            for (int b = 0; b < prompts.length; b++) {
                String text = text(b, tokenizer);
                int stop = stopIndex(text, config);
                if (stop >= 0) {
                    text = text.substring(0, stop);
                }
                FinishReason reason = reasons[b] == null ? FinishReason.LENGTH : reasons[b];
                results.add(new Generation(outputs.get(b).stream().mapToInt(Integer::intValue).toArray(), text, reason));
            }
            return results;
        }
    }
}
