package org.instruct4j.train.run;

/**
 * What makes a step's gradients the same on every process of a distributed run ({@link GradientStep} calls it):
 * {@link #arm} before the backward pass of the step's last micro-batch, which may then start communicating the gradients
 * as they become ready, and {@link #finish} after it, which leaves the accumulated gradients summed over every
 * process. A process with no rows in a step arms and finishes without a backward pass.
 */
public interface GradientSync {
    void arm();

    void finish();
}
