package org.instruct4j.analysis.verbs;

import java.util.Objects;

/**
 * What the paper's rule finds in a first sentence whose dependency root is a verb: the verb's lemma and the lemma of
 * its first direct-object noun, or a {@code null} noun when the verb has none ("Explain why ...").
 */
public record VerbNoun(String verb, String noun) {
    public VerbNoun {
        Objects.requireNonNull(verb, "verb");
    }

    public boolean hasNoun() {
        return noun != null;
    }
}
