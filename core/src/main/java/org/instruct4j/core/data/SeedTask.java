package org.instruct4j.core.data;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.JsonRow;

/**
 * A Self-Instruct seed task ({@code seed_tasks.jsonl}):
 * {@code {id, name, instruction, instances:[{input, output}], is_classification}}.
 */
public record SeedTask(String id, String name, String instruction, List<Instance> instances, boolean isClassification) {

    public record Instance(String input, String output) {}

    public static SeedTask fromJson(JsonRow row) {
        int n = row.arraySize("instances", true);
        List<Instance> instances = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JsonRow item = row.element("instances", i);
            instances.add(new Instance(item.string("input"), item.string("output")));
        }
        return new SeedTask(row.id("id"), row.optionalString("name", ""), row.string("instruction"),
                List.copyOf(instances), row.optionalBoolean("is_classification", false));
    }
}
