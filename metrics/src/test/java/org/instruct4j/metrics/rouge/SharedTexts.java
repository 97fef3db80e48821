package org.instruct4j.metrics.rouge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.testkit.SharedData;

/** The real texts the fixtures refer to, read in place from the shared data. */
final class SharedTexts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode alpaca;
    private static List<JsonNode> selfInstruct;

    private SharedTexts() {}

    /** Rows of alpaca/alpaca_5000_subset_pr152.json (instruction, input, output). */
    static synchronized JsonNode alpaca() {
        if (alpaca == null) {
            alpaca = read(() -> JSON.readTree(SharedData.path("alpaca/alpaca_5000_subset_pr152.json").toFile()));
        }
        return alpaca;
    }

    /** Lines of self_instruct/predictions/text-davinci-003_predictions.jsonl (target, response, ...). */
    static synchronized List<JsonNode> selfInstruct() {
        if (selfInstruct == null) {
            selfInstruct = read(() -> {
                List<JsonNode> rows = new ArrayList<>();
                for (String line : Files.readAllLines(
                        SharedData.path("self_instruct/predictions/text-davinci-003_predictions.jsonl"))) {
                    rows.add(JSON.readTree(line));
                }
                return rows;
            });
        }
        return selfInstruct;
    }

    /** The seed task instructions of alpaca/seed_tasks.jsonl. */
    static List<String> seedInstructions() {
        return read(() -> {
            List<String> instructions = new ArrayList<>();
            for (String line : Files.readAllLines(SharedData.path("alpaca/seed_tasks.jsonl"))) {
                instructions.add(JSON.readTree(line).get("instruction").asText());
            }
            return instructions;
        });
    }

    static List<String> alpacaField(String field) {
        List<String> values = new ArrayList<>();
        alpaca().forEach(row -> values.add(row.get(field).asText()));
        return values;
    }

    /** A fixture reference "alpaca/17/output" or "self_instruct/3/target". */
    static String text(String reference) {
        String[] parts = reference.split("/");
        int row = Integer.parseInt(parts[1]);
        JsonNode node = switch (parts[0]) {
            case "alpaca" -> alpaca().get(row);
            case "self_instruct" -> selfInstruct().get(row);
            default -> throw new IllegalArgumentException("unknown source in fixture reference " + reference);
        };
        return node.get(parts[2]).asText();
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T read(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
