package org.instruct4j.train.sft;

import java.nio.file.Path;

/**
 * What a fine-tuning run did: the output directory (a model or adapter directory), the steps done of those
 * planned, the last training loss and held-out loss (NaN when there was no held-out split), and whether it
 * ran to the end (false when stopped by max-time; then --resume continues it).
 */
public record SftResult(Path output, int steps, int totalSteps, double lastLoss, double lastEvalLoss,
                        double firstEvalLoss, boolean finished, String dataSummary) {}
