package org.instruct4j.serve.structured;

import java.util.LinkedHashMap;
import java.util.Map;
import org.instruct4j.serve.schedule.TokenConstraint;

/**
 * A compiled schema over one tokenizer's vocabulary, shared by every row that generates values of it: it hands out
 * a {@link TokenConstraint} per row and keeps the masks of the positions met so far (least recently used dropped
 * past {@link #CACHED_MASKS}), so a position's vocabulary walk is paid once, not once per row and token.
 */
public final class JsonGrammar {
    static final int CACHED_MASKS = 4096;

    private final Schema root;
    private final Vocabulary vocabulary;
    private final Map<Position, long[]> masks = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Position, long[]> eldest) {
            return size() > CACHED_MASKS;
        }
    };
    private long walks;

    JsonGrammar(Schema root, Vocabulary vocabulary) {
        this.root = root;
        this.vocabulary = vocabulary;
    }

    /** A constraint for one row, at the start of the value. */
    public TokenConstraint newConstraint() {
        return new JsonConstraint(this, Position.start(root));
    }

    Vocabulary vocabulary() {
        return vocabulary;
    }

    synchronized long[] allowed(Position position) {
        long[] mask = masks.get(position);
        if (mask == null) {
            mask = vocabulary.allowed(position);
            masks.put(position, mask);
            walks++;
        }
        return mask;
    }

    /** Vocabulary walks done so far (masks not found in the cache), for tests and measurements. */
    public synchronized long walks() {
        return walks;
    }
}
