package org.instruct4j.train.run;

import java.nio.file.Path;

/**
 * What a training run did: the output directory, the steps done of those planned, the last step's loss, the
 * held-out evaluation before training and after the last step (null without held-out rows, and before training
 * when a resumed run could not read it back), whether it ran to the end (false when max-time stopped it; --resume
 * continues it), and the one-line summary of its data.
 */
public record RunResult<E extends Evaluation>(Path output, int steps, int totalSteps, double lastLoss, E evalBefore,
                                              E evalAfter, boolean finished, String dataSummary) {}
