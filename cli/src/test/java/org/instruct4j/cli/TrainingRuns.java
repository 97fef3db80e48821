package org.instruct4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.testkit.SharedData;

/** What the training command tests share: a small Alpaca training file and a run's metrics. */
final class TrainingRuns {
    private TrainingRuns() {}

    /** The first {@code rows} short Alpaca examples as JSONL in {@code dir}. */
    static Path alpacaSubset(Path dir, int rows) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        int taken = 0;
        for (AlpacaExample example : Datasets.readAll(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), AlpacaExample::fromJson)) {
            if (taken < rows && example.output().length() <= 150 && example.input().length() < 200) {
                jsonl.append(Json.line(example.toJson())).append('\n');
                taken++;
            }
        }
        Path file = dir.resolve("subset-" + rows + ".jsonl");
        Files.writeString(file, jsonl);
        return file;
    }

    /** The rows of a run's metrics.jsonl. */
    static List<JsonNode> metrics(Path run) {
        List<JsonNode> rows = new ArrayList<>();
        Datasets.forEach(run.resolve("metrics.jsonl"), row -> row.node(), rows::add);
        return rows;
    }
}
