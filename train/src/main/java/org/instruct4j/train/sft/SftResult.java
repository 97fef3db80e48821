package org.instruct4j.train.sft;

import java.nio.file.Path;
import org.instruct4j.train.run.RunResult;

/**
 * What a fine-tuning run did: the output directory (a model or adapter directory), the steps done of those
 * planned, the last training loss and held-out loss (NaN when there was no held-out split), and whether it
 * ran to the end (false when stopped by max-time; then --resume continues it).
 */
public record SftResult(Path output, int steps, int totalSteps, double lastLoss, double lastEvalLoss,
                        double firstEvalLoss, boolean finished, String dataSummary) {

    static SftResult of(RunResult<HeldOutLoss> run) {
        return new SftResult(run.output(), run.steps(), run.totalSteps(), run.lastLoss(), loss(run.evalAfter()),
                loss(run.evalBefore()), run.finished(), run.dataSummary());
    }

    private static double loss(HeldOutLoss evaluation) {
        return evaluation == null ? Double.NaN : evaluation.loss();
    }
}
