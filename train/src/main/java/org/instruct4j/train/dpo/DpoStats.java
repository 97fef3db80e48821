package org.instruct4j.train.dpo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.loss.DpoLoss;
import org.instruct4j.train.run.Evaluation;
import org.instruct4j.train.run.Sums;

/**
 * DPO's numbers over some pairs: mean loss, reward accuracy (the chosen response's implicit reward above the
 * rejected one's), mean implicit rewards of the chosen and rejected responses, and their mean margin. As an
 * evaluation they describe the held-out pairs.
 */
public record DpoStats(int pairs, double loss, double accuracy, double chosenReward, double rejectedReward) implements Evaluation {
    static final String PAIRS = "pairs";
    private static final String RIGHT = "right";
    private static final String CHOSEN = "chosen_reward";
    private static final String REJECTED = "rejected_reward";

    public double margin() {
        return chosenReward - rejectedReward;
    }

    /** Zero sums of what {@link #add} adds up. */
    static Sums newSums() {
        return new Sums(PAIRS, RIGHT, CHOSEN, REJECTED);
    }

    /** Adds the pairs of {@code result} to {@code sums}. */
    static void add(Sums sums, DpoLoss.Result result) {
        float[] chosen = Tensors.toFloats(result.chosenRewards());
        float[] rejected = Tensors.toFloats(result.rejectedRewards());
        for (int i = 0; i < chosen.length; i++) {
            sums.add(CHOSEN, chosen[i]);
            sums.add(REJECTED, rejected[i]);
            sums.add(RIGHT, chosen[i] > rejected[i] ? 1 : 0);
        }
        sums.add(PAIRS, chosen.length);
    }

    /** The means of {@code sums}, whose loss is the summed loss of its pairs. */
    static DpoStats of(Sums sums) {
        double pairs = sums.get(PAIRS);
        return new DpoStats((int) pairs, sums.get(Sums.LOSS) / pairs, sums.get(RIGHT) / pairs, sums.get(CHOSEN) / pairs,
                sums.get(REJECTED) / pairs);
    }

    static DpoStats from(JsonNode json) {
        return new DpoStats(json.path("eval_pairs").asInt(), json.path("eval_loss").asDouble(),
                json.path("eval_reward_accuracy").asDouble(), json.path("eval_chosen_reward").asDouble(),
                json.path("eval_rejected_reward").asDouble());
    }

    /** The fields of a training step's row (the skeleton writes its loss). */
    void putStepInto(ObjectNode row) {
        put(row, "");
    }

    @Override
    public void putInto(ObjectNode row) {
        row.put("eval_loss", loss);
        put(row, "eval_");
    }

    private void put(ObjectNode row, String prefix) {
        row.put(prefix + "pairs", pairs);
        row.put(prefix + "reward_accuracy", accuracy);
        row.put(prefix + "chosen_reward", chosenReward);
        row.put(prefix + "rejected_reward", rejectedReward);
        row.put(prefix + "reward_margin", margin());
    }

    @Override
    public String describe() {
        return String.format("held-out reward accuracy %.4f, margin %.4f", accuracy, margin());
    }
}
