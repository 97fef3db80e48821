package org.instruct4j.serve.structured;

import org.instruct4j.serve.schedule.TokenConstraint;

/** One row's place in a {@link JsonGrammar}: masks the tokens that would leave it, follows the tokens sampled. */
final class JsonConstraint implements TokenConstraint {
    private final JsonGrammar grammar;
    private Position position;

    JsonConstraint(JsonGrammar grammar, Position start) {
        this.grammar = grammar;
        this.position = start;
    }

    @Override
    public boolean mask(float[] logits) {
        long[] allowed = grammar.allowed(position);
        int known = Math.min(logits.length, grammar.vocabulary().size());
        boolean any = false;
        for (int token = 0; token < logits.length; token++) {
            if (token < known && (allowed[token >>> 6] & (1L << token)) != 0) {
                any = true;
            } else {
                logits[token] = Float.NEGATIVE_INFINITY;
            }
        }
        return any;
    }

    @Override
    public void accept(int token) {
        Position next = position.feed(grammar.vocabulary().bytes(token));
        if (next == null) {
            throw new IllegalStateException("token " + token + " was sampled but breaks the grammar");
        }
        position = next;
    }

    @Override
    public boolean complete() {
        return position.complete();
    }
}
