package org.instruct4j.cli.analyze;

import org.instruct4j.core.io.BadInputException;
import picocli.CommandLine.Option;

/** How many of the most frequent verb-noun pairs to show per dataset (analyze verbs, analyze report, spark analyze verbs). */
public final class TopOption {
    @Option(names = "--top", defaultValue = "25", paramLabel = "N",
            description = "Most frequent verb-noun pairs shown per dataset (default: ${DEFAULT-VALUE}, as in the paper).")
    int top;

    public int value() {
        if (top < 1) {
            throw new BadInputException("--top must be at least 1, got " + top);
        }
        return top;
    }
}
