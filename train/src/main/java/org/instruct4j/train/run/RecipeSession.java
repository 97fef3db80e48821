package org.instruct4j.train.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.train.data.TrainingPlan;

/**
 * One run of a recipe once its data is tokenized and its model built: what the skeleton ({@link RecipeRunner})
 * asks of it at every step.
 */
public interface RecipeSession<I, E extends Evaluation> {
    /** One line for the log and the summary: what the data held, what is trained on, what is held out. */
    String dataSummary();

    FineTunedModel model();

    /** Which items every step trains on. */
    TrainingPlan<I> plan();

    /** Whether there are held-out rows to evaluate. */
    boolean hasHeldOut();

    /** Zero sums of the numbers {@link #loss} adds up over a step's micro-batches. */
    Sums newSums();

    /**
     * What a step's summed losses are divided by (its target tokens, its pairs), counted over all of
     * {@code microBatches}, so every token or pair weighs the same however the step is split.
     */
    long lossUnits(List<List<List<I>>> microBatches);

    /**
     * The forward pass of one micro-batch (sequences of items): its summed loss, with gradients; adds its input
     * tokens and the recipe's own numbers to {@code sums}.
     */
    Tensor loss(List<List<I>> microBatch, Sums sums);

    /** A step's own metrics fields from its sums (the skeleton writes step, epoch, loss, lr, grad_norm, speed). */
    void putStepInto(ObjectNode row, Sums sums, long units);

    /** The held-out evaluation of the model as it is (called without gradients, dropout off). */
    E evaluate();

    /** Writes the model as the recipe delivers it into {@code dir}; a {@code checkpoint} also keeps what resuming needs. */
    void save(Path dir, boolean checkpoint);

    /** Whatever a finished run writes beside the model (reports); {@code last} is null without held-out rows. */
    default void finish(Path output, E last) {}
}
