package org.instruct4j.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.train.sft.SftResult;

/** The quickstart's note that training is done, with what it did, so a rerun reports it without training again. */
final class TrainingRecord {
    private TrainingRecord() {}

    static void write(Path file, SftResult result) {
        ObjectNode json = Json.object();
        json.put("steps", result.steps());
        json.put("total_steps", result.totalSteps());
        number(json, "last_loss", result.lastLoss());
        number(json, "last_eval_loss", result.lastEvalLoss());
        number(json, "first_eval_loss", result.firstEvalLoss());
        json.put("finished", result.finished());
        json.put("data", result.dataSummary());
        AtomicFiles.writeString(file, Json.line(json) + "\n");
    }

    static SftResult read(Path file, Path model) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; delete it to train again", e);
        }
        return new SftResult(model, json.path("steps").asInt(), json.path("total_steps").asInt(), number(json, "last_loss"),
                number(json, "last_eval_loss"), number(json, "first_eval_loss"), json.path("finished").asBoolean(),
                json.path("data").asText());
    }

    private static void number(ObjectNode json, String field, double value) {
        if (Double.isNaN(value)) {
            json.putNull(field);
        } else {
            json.put(field, value);
        }
    }

    private static double number(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? Double.NaN : value.asDouble();
    }
}
