package org.instruct4j.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prefix cache on the real stories260K (CPU engine): a row that starts from cached keys and values gets the same
 * logits, bit for bit, as a row that reads its whole prompt; the tree splits where prompts part and keeps to its
 * budget by evicting the least recently used.
 */
class PrefixCacheTest {
    private static InferenceModel model;
    private static InferenceEngine engine;

    @BeforeAll
    static void load() {
        model = ModelDirectory.openForInference(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), InferenceOptions.defaults().withEngine(EngineChoice.JAVA));
        engine = model.engine();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] tokens(String text) {
        return model.tokenizer().encode(text, true);
    }

    /** A row that read {@code tokens} whole (in chunks of 5, as a scheduler's prefill may), to copy from. */
    private static Sequence read(int[] tokens) {
        Sequence row = engine.newSequence(tokens.length + 8);
        for (int from = 0; from < tokens.length; from += 5) {
            engine.forward(new Batch().add(row, tokens, from, Math.min(tokens.length, from + 5), false));
        }
        return row;
    }

    /** The logits after every token of {@code tokens[from, length)} in {@code row} (which holds {@code from}). */
    private static float[] scored(Sequence row, int[] tokens, int from) {
        float[] logits = new float[(tokens.length - from) * engine.vocabSize()];
        engine.forward(new Batch().addScored(row, tokens, from, tokens.length, logits));
        return logits;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int i = 0;
        while (i < Math.min(a.length, b.length) && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    @Test
    void aRowStartedFromTheCacheGetsTheLogitsOfARowThatReadItsWholePrompt() {
        int[] first = tokens("Once upon a time, there was a little dog named Max. Max liked to run in the park");
        int[] second = tokens("Once upon a time, there was a little dog named Spot who lived by the sea");
        int shared = commonPrefix(first, second);
        assertThat(shared).isGreaterThan(8).isLessThan(second.length - 3);
        PrefixCache cache = new PrefixCache(engine, 64L << 20);
        try (Sequence source = read(first)) {
            cache.remember(source, first, first.length);
        }
        float[] whole;
        try (Sequence alone = engine.newSequence(second.length + 8)) {
            whole = scored(alone, second, 0);
        }
        try (Sequence row = engine.newSequence(second.length + 8)) {
            assertThat(cache.restore(row, second, second.length - 1)).isEqualTo(shared);
            assertThat(row.length()).isEqualTo(shared);

            float[] rest = scored(row, second, shared);

            assertThat(rest).containsExactly(Arrays.copyOfRange(whole, shared * engine.vocabSize(), whole.length));
        }
        assertThat(cache.queriedTokens()).isEqualTo(second.length - 1);
        assertThat(cache.hitTokens()).isEqualTo(shared);
    }

    @Test
    void promptsThatPartMidRunSplitItAndBothAreFoundWhole() {
        int[] first = tokens("Lily and Tom went to the park to play with a ball");
        int[] second = tokens("Lily and Tom went to the shop to buy some milk");
        int[] third = tokens("Lily and Tom went to the park to see the ducks");
        PrefixCache cache = new PrefixCache(engine, 64L << 20);
        for (int[] prompt : new int[][] {first, second, third}) {
            try (Sequence source = read(prompt)) {
                cache.remember(source, prompt, prompt.length);
            }
        }
        for (int[] prompt : new int[][] {first, second, third}) {
            try (Sequence row = engine.newSequence(prompt.length + 1)) {
                assertThat(cache.restore(row, prompt, prompt.length)).isEqualTo(prompt.length);
                int vocab = engine.vocabSize();
                // the last position's logits from the copied keys and values: one more token read after them
                int[] longer = Arrays.copyOf(prompt, prompt.length + 1);
                longer[prompt.length] = prompt[1];
                try (Sequence check = engine.newSequence(prompt.length + 1)) {
                    float[] expected = scored(check, longer, 0);
                    float[] got = new float[vocab];
                    engine.forward(new Batch().addScored(row, longer, prompt.length, prompt.length + 1, got));
                    assertThat(got).containsExactly(Arrays.copyOfRange(expected, prompt.length * vocab, (prompt.length + 1) * vocab));
                }
            }
        }
        int held = first.length + (second.length - commonPrefix(first, second)) + (third.length - commonPrefix(first, third));
        assertThat(cache.bytes()).as("the shared starts are held once").isEqualTo(held * kvBytesPerToken());
    }

    @Test
    void theLeastRecentlyUsedLeaveFirstAndTheCacheKeepsToItsBudget() {
        int[] kept = tokens("The cat sat on the mat and looked at the bird in the tree");
        int[] old = tokens("A big red truck drove down the road to the farm");
        int[] fresh = tokens("Sue found a shiny stone by the river one sunny morning");
        long budget = (kept.length + fresh.length + 2) * kvBytesPerToken();
        PrefixCache cache = new PrefixCache(engine, budget);
        for (int[] prompt : new int[][] {kept, old}) {
            try (Sequence source = read(prompt)) {
                cache.remember(source, prompt, prompt.length);
            }
        }
        try (Sequence row = engine.newSequence(kept.length)) {
            assertThat(cache.restore(row, kept, kept.length - 1)).isEqualTo(kept.length - 1); // kept is used again: now the newest
        }
        try (Sequence source = read(fresh)) {
            cache.remember(source, fresh, fresh.length);
        }

        assertThat(cache.bytes()).isLessThanOrEqualTo(budget);
        for (int[] prompt : new int[][] {kept, old, fresh}) {
            try (Sequence row = engine.newSequence(prompt.length)) {
                int found = cache.restore(row, prompt, prompt.length);
                assertThat(found).as("tokens found of '%s'", model.tokenizer().decode(prompt))
                        .isEqualTo(prompt == old ? commonPrefix(old, kept) : prompt.length);
            }
        }
    }

    @Test
    void aPrefixGoesOnlyIntoAnEmptyRowOfAnEngineThatCopiesKeysAndValues() {
        PrefixCache cache = new PrefixCache(engine, 1 << 20);
        int[] prompt = tokens("Once upon a time");
        try (Sequence row = read(prompt)) {
            assertThatThrownBy(() -> cache.restore(row, prompt, prompt.length)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty row");
            assertThatThrownBy(() -> cache.remember(row, prompt, prompt.length + 1)).isInstanceOf(IllegalArgumentException.class);
        }
        try (InferenceModel torch = ModelDirectory.openForInference(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), InferenceOptions.defaults().withEngine(EngineChoice.TORCH))) {
            assertThat(torch.engine().copiesKv()).isFalse();
            assertThatThrownBy(() -> new PrefixCache(torch.engine(), 1 << 20)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot copy keys and values");
        }
    }

    /** Bytes of one position's keys and values over all layers, as the engine and a span of one position say. */
    private static long kvBytesPerToken() {
        int[] one = tokens("");
        try (Sequence row = read(one)) {
            assertThat(engine.copyKv(row, 0, 1).bytes()).isEqualTo(engine.kvBytesPerToken());
        }
        return engine.kvBytesPerToken();
    }

    @Test
    void aSequenceLongerThanTheBudgetIsKeptUpToIt() {
        int[] text = tokens("Once upon a time there was a girl called Lily who loved to paint pictures of the sea");
        PrefixCache cache = new PrefixCache(engine, 10 * kvBytesPerToken());
        try (Sequence source = read(text)) {
            cache.remember(source, text, text.length);
        }
        assertThat(cache.bytes()).isEqualTo(10 * kvBytesPerToken());
        try (Sequence row = engine.newSequence(text.length)) {
            assertThat(cache.restore(row, text, text.length - 1)).isEqualTo(10);
        }
    }
}
