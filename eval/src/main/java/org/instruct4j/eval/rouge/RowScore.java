package org.instruct4j.eval.rouge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.core.io.Json;

/** The ROUGE F-measures of one row, with the reference's length in words and its bucket. */
public record RowScore(String id, int referenceWords, LengthBucket bucket, double rouge1, double rouge2, double rougeL) {

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("reference_words", referenceWords);
        node.put("length", bucket.label());
        node.put("rouge1", rouge1);
        node.put("rouge2", rouge2);
        node.put("rougeL", rougeL);
        return node;
    }
}
