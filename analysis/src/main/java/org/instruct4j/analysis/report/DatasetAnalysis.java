package org.instruct4j.analysis.report;

import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.lengths.LengthStats;
import org.instruct4j.analysis.verbs.VerbNounCounts;

/** Everything measured on one dataset's texts: the verb-noun counts and the length statistics. */
public record DatasetAnalysis(DatasetTexts texts, VerbNounCounts verbs, LengthStats lengths) {
    public String name() {
        return texts.name();
    }
}
