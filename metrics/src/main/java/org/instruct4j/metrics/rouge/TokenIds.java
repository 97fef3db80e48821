package org.instruct4j.metrics.rouge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense int ids for the tokens of one scoring call, so that LCS and n-gram counting compare ints and can index
 * arrays by token. Ids are 0, 1, 2, ... in order of first appearance. Not thread-safe: one per call.
 */
final class TokenIds {
    private final Map<String, Integer> ids = new HashMap<>();

    int[] of(List<String> tokens) {
        int[] result = new int[tokens.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = ids.computeIfAbsent(tokens.get(i), token -> ids.size());
        }
        return result;
    }

    /** The number of distinct tokens seen: every id is below it. */
    int size() {
        return ids.size();
    }
}
