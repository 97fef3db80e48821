package org.instruct4j.train.preference;

import java.util.List;
import org.instruct4j.train.data.EncodedExample;

/** A comparison group tokenized: each response once (prompt + response + EOS), and the pairs to train on. */
public record EncodedGroup(ComparisonGroup group, List<EncodedExample> responses, List<ComparisonGroup.Pair> pairs) {

    public EncodedGroup {
        responses = List.copyOf(responses);
        pairs = List.copyOf(pairs);
    }

    public long row() {
        return group.row();
    }

    public String source(int response) {
        return group.responses().get(response).source();
    }
}
