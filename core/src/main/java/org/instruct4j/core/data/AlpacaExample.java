package org.instruct4j.core.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;

/** A row of the released Alpaca / GPT-4-LLM instruction-following data: {@code {instruction, input, output}}. */
public record AlpacaExample(String instruction, String input, String output) {

    public static AlpacaExample fromJson(JsonRow row) {
        return new AlpacaExample(row.string("instruction"), row.optionalString("input", ""), row.string("output"));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("instruction", instruction);
        node.put("input", input);
        node.put("output", output);
        return node;
    }
}
