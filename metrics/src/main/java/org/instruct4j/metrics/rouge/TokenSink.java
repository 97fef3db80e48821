package org.instruct4j.metrics.rouge;

/** Receives each token as a slice of a char buffer, valid only during the call: no String per token. */
@FunctionalInterface
interface TokenSink {
    void accept(char[] chars, int start, int length);
}
