package org.instruct4j.spark.analyze;

import org.instruct4j.analysis.corenlp.VerbNounExtractor;

/**
 * The verb-noun rule of this JVM: CoreNLP's models take seconds and about a gigabyte to load, so every task an
 * executor runs (and, in local mode, the driver) shares one thread-safe extractor, loaded by the first task.
 */
public final class SharedExtractor {
    private static VerbNounExtractor extractor;

    private SharedExtractor() {}

    public static synchronized VerbNounExtractor get() {
        if (extractor == null) {
            extractor = VerbNounExtractor.english();
        }
        return extractor;
    }
}
