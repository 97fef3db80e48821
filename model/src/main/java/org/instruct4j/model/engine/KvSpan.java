package org.instruct4j.model.engine;

/**
 * A copy of the keys and values a row held for positions [{@link #from()}, {@code from() + length()}) of every layer,
 * made by {@link InferenceEngine#copyKv} and appended to other rows by {@link InferenceEngine#appendKv}: what a
 * {@link PrefixCache} keeps. Immutable; owned by the engine that made it.
 */
public interface KvSpan {

    /** The first position the span holds (keys are rotated for their positions, so a span only fits there). */
    int from();

    /** Positions the span holds. */
    int length();

    /** Memory the span holds. */
    long bytes();

    /** A copy of positions [from() + offset, from() + offset + count) alone. */
    KvSpan slice(int offset, int count);
}
