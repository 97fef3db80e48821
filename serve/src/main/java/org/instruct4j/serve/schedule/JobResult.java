package org.instruct4j.serve.schedule;

import java.util.List;
import org.instruct4j.model.generate.Generation;

/** A finished job: its generation and, when it asked for them, the log-probabilities of its output tokens. */
public record JobResult(Generation generation, List<TokenLogprobs> logprobs) {}
