package org.instruct4j.serve.schedule;

/** Prompt tokens looked up in the prefix cache ({@code queried}) and found there ({@code hit}). */
public record PrefixHits(long queried, long hit) {
    public static final PrefixHits NONE = new PrefixHits(0, 0);
}
