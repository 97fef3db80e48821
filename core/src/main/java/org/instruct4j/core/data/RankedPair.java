package org.instruct4j.core.data;

import org.instruct4j.core.io.JsonRow;

/**
 * LLaMA-Factory's ranking format of comparison data: {@code {instruction, input, output:[chosen, rejected]}},
 * as in the 1,095-row GPT-4-LLM sample.
 */
public record RankedPair(String instruction, String input, String chosen, String rejected) {

    public static RankedPair fromJson(JsonRow row) {
        int n = row.arraySize("output", true);
        if (n != 2) {
            throw row.error("output", "expected [chosen, rejected] (2 strings), got " + n + " elements");
        }
        return new RankedPair(row.string("instruction"), row.optionalString("input", ""),
                row.stringElement("output", 0), row.stringElement("output", 1));
    }
}
