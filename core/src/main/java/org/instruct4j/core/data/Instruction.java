package org.instruct4j.core.data;

import org.instruct4j.core.io.JsonRow;

/**
 * An instruction (with optional input) to be answered or translated: a row of an Alpaca JSON/JSONL
 * file, of which only {@code instruction} is required. The id is the row's {@code id} field when it
 * has one, otherwise its 0-based position in the file.
 */
public record Instruction(String id, String instruction, String input) {

    public static Instruction fromJson(JsonRow row) {
        String instruction = row.string("instruction");
        if (instruction.isBlank()) {
            throw row.error("instruction", "is empty");
        }
        return new Instruction(row.id("id"), instruction, row.optionalString("input", ""));
    }

    public boolean hasInput() {
        return !input.isBlank();
    }
}
