package org.instruct4j.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.instruct4j.core.io.Json;

/** Instruction files for the tests: each instruction carries a tag ("[q7]") that names it in the fake server's fault rules. */
public final class Instructions {
    private Instructions() {}

    public static String tag(int k) {
        return "[q" + k + "]";
    }

    /** {@code count} rows {id: "r<k>", instruction, input}, odd rows with an input; as JSON Lines. */
    public static Path write(Path file, int count) {
        List<String> lines = IntStream.range(0, count).mapToObj(k -> {
            ObjectNode row = Json.object();
            row.put("id", "r" + k);
            row.put("instruction", "Explain idea " + tag(k) + " to a curious twelve-year-old in two sentences.");
            row.put("input", k % 2 == 1 ? "Idea " + k + ": compound interest, seen from a piggy bank." : "");
            return Json.line(row);
        }).toList();
        return writeLines(file, lines);
    }

    public static Path writeLines(Path file, List<String> lines) {
        try {
            return Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
