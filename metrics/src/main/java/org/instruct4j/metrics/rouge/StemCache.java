package org.instruct4j.metrics.rouge;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Memoised Porter stems. Stemming runs once per token of every scored text, while a corpus has only tens of
 * thousands of distinct words, so each word is stemmed once. The cache stops growing at a fixed size so that
 * scoring an unbounded stream of junk tokens cannot exhaust memory.
 */
final class StemCache {
    static final StemCache SHARED = new StemCache();

    private static final int MAX_ENTRIES = 1 << 20;

    private final PorterStemmer stemmer = new PorterStemmer();
    private final ConcurrentHashMap<String, String> stems = new ConcurrentHashMap<>();

    String stem(String word) {
        String stem = stems.get(word);
        if (stem == null) {
            stem = stemmer.stem(word);
            if (stems.size() < MAX_ENTRIES) {
                stems.putIfAbsent(word, stem);
            }
        }
        return stem;
    }
}
