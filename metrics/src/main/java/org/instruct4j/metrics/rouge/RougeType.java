package org.instruct4j.metrics.rouge;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The ROUGE variants, named as rouge-score names them ({@link #key()}). */
public enum RougeType {
    /** Unigram overlap. */
    ROUGE_1("rouge1"),
    /** Bigram overlap. */
    ROUGE_2("rouge2"),
    /** Longest common subsequence of the whole texts. */
    ROUGE_L("rougeL"),
    /** Summary-level LCS over newline-separated sentences (union LCS, counts clipped as in ROUGE-1.5.5). */
    ROUGE_LSUM("rougeLsum");

    private final String key;

    RougeType(String key) {
        this.key = key;
    }

    /** rouge-score's name for this type, e.g. {@code rougeL}. */
    public String key() {
        return key;
    }

    /** The type for a rouge-score name such as {@code rouge1} or {@code rougeLsum}. */
    public static RougeType fromKey(String key) {
        for (RougeType type : values()) {
            if (type.key.equals(key)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown ROUGE type '" + key + "'; expected one of "
                + Arrays.stream(values()).map(RougeType::key).collect(Collectors.joining(", ")));
    }
}
