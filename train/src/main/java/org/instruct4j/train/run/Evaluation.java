package org.instruct4j.train.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a recipe measures on its held-out rows: the held-out loss of SFT, the pairwise accuracy of a reward model,
 * the reward accuracy and margins of DPO. Written into metrics.jsonl rows (step 0 being before training) and into
 * train_summary.json, from which a recipe reads it back when a run resumes or has already finished.
 */
public interface Evaluation {
    /** Its numbers as metrics fields, each name starting with {@code eval_}. */
    void putInto(ObjectNode row);

    /** What train_summary.json keeps of it: by default the metrics fields. */
    default void putSummaryInto(ObjectNode json) {
        putInto(json);
    }

    /** A few words for the progress line and the log ("held-out loss 1.2345"). */
    String describe();
}
