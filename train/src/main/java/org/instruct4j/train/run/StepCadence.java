package org.instruct4j.train.run;

import static org.instruct4j.train.config.TrainingSettings.EVAL_STEPS;
import static org.instruct4j.train.config.TrainingSettings.LOGGING_STEPS;
import static org.instruct4j.train.config.TrainingSettings.MAX_TIME;
import static org.instruct4j.train.config.TrainingSettings.OUTPUT;
import static org.instruct4j.train.config.TrainingSettings.SAVE_STEPS;

import java.time.Duration;
import org.instruct4j.train.config.Settings;

/**
 * When a recipe's loop evaluates, logs and checkpoints, and when it stops: after the last planned step, or when
 * max-time has passed (the run then saves a checkpoint and --resume continues it). Every recipe keeps the same
 * cadence, so a resumed run does the same things at the same steps.
 */
public final class StepCadence {
    private final int evalSteps;
    private final int loggingSteps;
    private final int saveSteps;
    private final Duration maxTime;
    private final String output;
    private final int totalSteps;
    private final boolean heldOut;
    private final long deadline;
    private int decidedStep = -1;
    private boolean stopsAtDecidedStep;

    /** {@code heldOut}: whether the run has held-out rows to evaluate. The max-time clock starts now. */
    public StepCadence(Settings settings, int totalSteps, boolean heldOut) {
        this.evalSteps = settings.get(EVAL_STEPS);
        this.loggingSteps = settings.get(LOGGING_STEPS);
        this.saveSteps = settings.get(SAVE_STEPS);
        this.maxTime = settings.get(MAX_TIME);
        this.output = String.valueOf(settings.get(OUTPUT));
        this.totalSteps = totalSteps;
        this.heldOut = heldOut;
        this.deadline = maxTime.isZero() ? Long.MAX_VALUE : System.nanoTime() + maxTime.toNanos();
    }

    /** Whether step {@code step} (0-based, the next to run) should run. */
    public boolean runs(int step) {
        return step < totalSteps && !timeUpAt(step);
    }

    /**
     * Whether to evaluate after {@code step} steps: every eval-steps, after the last, and where max-time stops the
     * run, so that a stopped run reports the model it leaves.
     */
    public boolean evaluates(int step) {
        return heldOut && (step == totalSteps || evalSteps > 0 && step % evalSteps == 0 || timeUpAt(step));
    }

    /** Whether to append a metrics row after {@code step} steps: every logging-steps, after the last and after an evaluation. */
    public boolean logs(int step, boolean evaluated) {
        return step % loggingSteps == 0 || step == totalSteps || evaluated;
    }

    /** Whether to write a checkpoint after {@code step} steps: every save-steps, except after the last (the model is saved then). */
    public boolean checkpoints(int step) {
        return saveSteps > 0 && step % saveSteps == 0 && step < totalSteps;
    }

    public boolean finished(int step) {
        return step == totalSteps;
    }

    /** Whether max-time has passed after {@code step} steps; decided once per step, so evaluates and runs agree. */
    private boolean timeUpAt(int step) {
        if (decidedStep != step) {
            decidedStep = step;
            stopsAtDecidedStep = System.nanoTime() >= deadline;
        }
        return stopsAtDecidedStep;
    }

    /** The log line of a run stopped by max-time after {@code step} steps. */
    public String stoppedMessage(int step) {
        return "stopped after max-time " + maxTime + " at step " + step + " of " + totalSteps
                + "; the model so far is in " + output + ", --resume continues";
    }
}
