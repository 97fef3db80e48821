package org.instruct4j.train.run;

import org.instruct4j.train.config.TrainingOptions;

/**
 * When a recipe's loop evaluates, logs and checkpoints, and when it stops: after the last planned step, or when
 * max-time has passed (the run then saves a checkpoint and --resume continues it). Every recipe keeps the same
 * cadence, so a resumed run does the same things at the same steps.
 */
public final class StepCadence {
    private final TrainingOptions options;
    private final int totalSteps;
    private final boolean heldOut;
    private final long deadline;
    private int decidedStep = -1;
    private boolean stopsAtDecidedStep;

    /** {@code heldOut}: whether the run has held-out rows to evaluate. The max-time clock starts now. */
    public StepCadence(TrainingOptions options, int totalSteps, boolean heldOut) {
        this.options = options;
        this.totalSteps = totalSteps;
        this.heldOut = heldOut;
        this.deadline = options.maxTime().isZero() ? Long.MAX_VALUE : System.nanoTime() + options.maxTime().toNanos();
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
        return heldOut && (step == totalSteps || options.evalSteps() > 0 && step % options.evalSteps() == 0 || timeUpAt(step));
    }

    /** Whether to append a metrics row after {@code step} steps: every logging-steps, after the last and after an evaluation. */
    public boolean logs(int step, boolean evaluated) {
        return step % options.loggingSteps() == 0 || step == totalSteps || evaluated;
    }

    /** Whether to write a checkpoint after {@code step} steps: every save-steps, except after the last (the model is saved then). */
    public boolean checkpoints(int step) {
        return options.saveSteps() > 0 && step % options.saveSteps() == 0 && step < totalSteps;
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
        return "stopped after max-time " + options.maxTime() + " at step " + step + " of " + totalSteps
                + "; the model so far is in " + options.output() + ", --resume continues";
    }
}
