package org.instruct4j.train.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.train.run.Evaluation;

/** SFT's evaluation: the mean token loss (nats per target token) on the held-out examples. */
public record HeldOutLoss(double loss) implements Evaluation {
    static HeldOutLoss from(JsonNode json) {
        return new HeldOutLoss(json.path("eval_loss").asDouble());
    }

    @Override
    public void putInto(ObjectNode row) {
        row.put("eval_loss", loss);
    }

    @Override
    public String describe() {
        return String.format("held-out loss %.4f", loss);
    }
}
