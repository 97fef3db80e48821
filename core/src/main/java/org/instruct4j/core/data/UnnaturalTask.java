package org.instruct4j.core.data;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.JsonRow;

/**
 * A row of Unnatural Instructions' {@code core_data.jsonl}:
 * {@code {instruction, instances:[{input, instruction_with_input, constraints, output}]}}.
 */
public record UnnaturalTask(String id, String instruction, List<Instance> instances) {

    public record Instance(String input, String instructionWithInput, String constraints, String output) {}

    public static UnnaturalTask fromJson(JsonRow row) {
        String instruction = row.string("instruction");
        int n = row.arraySize("instances", true);
        List<Instance> instances = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JsonRow item = row.element("instances", i);
            instances.add(new Instance(item.string("input"), item.optionalString("instruction_with_input", ""),
                    item.optionalString("constraints", ""), item.string("output")));
        }
        return new UnnaturalTask(row.id("id"), instruction, List.copyOf(instances));
    }
}
