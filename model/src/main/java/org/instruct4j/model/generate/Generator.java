package org.instruct4j.model.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.TorchEngine;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * Autoregressive decoding of one prompt or many at once: every prompt is a {@link GenerationRow} of the engine, all
 * rows go through each forward pass together (their prompts prefilled in one pass, then one token per row per
 * step), each at its own position and with its own settings, so a row decodes exactly as it would alone; a row that
 * finishes leaves the batch.
 */
public final class Generator {
    /** Most prompt tokens a row reads in one pass. */
    public static final int PREFILL_CHUNK = 512;

    private final InferenceEngine engine;
    private final Tokenizer tokenizer;

    public Generator(InferenceEngine engine, Tokenizer tokenizer) {
        this.engine = engine;
        this.tokenizer = tokenizer;
    }

    /** Decodes with libtorch. */
    public Generator(CausalLm model, Tokenizer tokenizer) {
        this(new TorchEngine(model), tokenizer);
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
        return generateFromIds(prompts, Collections.nCopies(prompts.length, config), listener);
    }

    /** As above, each row with its own settings (length, sampling, seed, stop strings). */
    public List<Generation> generateFromIds(int[][] prompts, List<GenerationConfig> configs, TextListener listener) {
        List<GenerationRow> rows = new ArrayList<>();
        try {
            for (int i = 0; i < prompts.length; i++) {
                rows.add(new GenerationRow(engine, tokenizer, prompts[i], configs.get(i)));
            }
            Batch batch = new Batch();
            for (boolean running = true; running; ) {
                batch.clear();
                for (GenerationRow row : rows) {
                    if (!row.finished()) {
                        row.addTo(batch, PREFILL_CHUNK);
                    }
                }
                engine.forward(batch);
                running = false;
                for (int i = 0; i < rows.size(); i++) {
                    GenerationRow row = rows.get(i);
                    if (row.readyToSample()) {
                        String piece = row.next();
                        if (listener != null && !piece.isEmpty()) {
                            listener.onText(i, piece);
                        }
                    }
                    running |= !row.finished();
                }
            }
            return rows.stream().map(GenerationRow::result).toList();
        } finally {
            rows.forEach(GenerationRow::close);
        }
    }
}
