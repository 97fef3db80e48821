package org.instruct4j.teacher.client;

import java.io.Serializable;
import java.util.function.UnaryOperator;

/**
 * Decoding settings the user chose (null: keep the default), applied over a task's own defaults, which may differ from
 * prompt to prompt (the judge's per-category settings). Serializable, so Spark jobs can ship it to their executors.
 */
public record SamplingOverrides(Double temperature, Double topP, Integer maxTokens) implements UnaryOperator<Sampling>, Serializable {

    @Override
    public Sampling apply(Sampling defaults) {
        return new Sampling(temperature != null ? temperature : defaults.temperature(),
                topP != null ? topP : defaults.topP(),
                maxTokens != null ? maxTokens : defaults.maxTokens(),
                defaults.stop());
    }
}
