package org.instruct4j.cli.generate;

import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.SamplingOverrides;
import picocli.CommandLine.Option;

/** Decoding options; each command supplies its own defaults (the paper's for answers). */
public final class SamplingOptions {
    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (default depends on the command).")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling top_p (default depends on the command).")
    Double topP;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens per reply (default depends on the command).")
    Integer maxTokens;

    public Sampling resolve(Sampling defaults) {
        return overrides().apply(defaults);
    }

    /** The settings given on the command line, to apply over defaults that vary by prompt. */
    public SamplingOverrides overrides() {
        return new SamplingOverrides(temperature, topP, maxTokens);
    }
}
