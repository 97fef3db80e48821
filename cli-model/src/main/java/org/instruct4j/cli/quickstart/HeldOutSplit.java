package org.instruct4j.cli.quickstart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;

/**
 * Splits instruction data into rows to train on and rows held out for ROUGE-L against the teacher's answers,
 * the same way for the same seed, and writes both as JSONL with the row's position in the input as its id.
 */
final class HeldOutSplit {
    private HeldOutSplit() {}

    /** The split files: {@code train.jsonl} and {@code heldout.jsonl} in {@code dir}. */
    record Split(Path train, Path heldOut, int trainRows, int heldOutRows) {}

    static Split write(Path data, Path dir, int heldOut, int trainRows, long seed) {
        Path train = dir.resolve("train.jsonl");
        Path held = dir.resolve("heldout.jsonl");
        List<AlpacaExample> rows = Datasets.readAll(data, AlpacaExample::fromJson);
        if (rows.size() <= heldOut) {
            throw new BadInputException(data + ": " + rows.size() + " rows; need more than the " + heldOut + " held out");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        List<Integer> heldIds = order.subList(0, heldOut);
        List<Integer> trainIds = order.subList(heldOut, trainRows > 0 ? Math.min(order.size(), heldOut + trainRows) : order.size());
        if (!Files.exists(train) || !Files.exists(held)) {
            AtomicFiles.writeString(held, lines(rows, heldIds));
            AtomicFiles.writeString(train, lines(rows, trainIds));
        }
        return new Split(train, held, trainIds.size(), heldIds.size());
    }

    private static String lines(List<AlpacaExample> rows, List<Integer> ids) {
        StringBuilder out = new StringBuilder();
        for (int id : ids.stream().sorted().toList()) {
            ObjectNode row = Json.object().put("id", Integer.toString(id));
            row.setAll(rows.get(id).toJson());
            out.append(Json.line(row)).append('\n');
        }
        return out.toString();
    }
}
