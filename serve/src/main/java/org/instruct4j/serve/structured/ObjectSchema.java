package org.instruct4j.serve.structured;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.instruct4j.core.io.Json;

/**
 * An object. With declared properties they are generated in their declared order, each optional one possibly left
 * out, no others (valid whatever additionalProperties says). Without any ("free"), any keys, each value of the
 * {@code values} schema.
 */
final class ObjectSchema extends Schema {
    record Property(String name, Schema schema, boolean required) {}

    private final List<Property> properties;
    private final Schema values;
    private final ByteTrie[] keyTries;

    /** Declared properties ({@code values} null), or a free object ({@code properties} empty, {@code values} set). */
    ObjectSchema(List<Property> properties, Schema values) {
        this.properties = List.copyOf(properties);
        this.values = values;
        this.keyTries = new ByteTrie[properties.size() + 1];
    }

    boolean free() {
        return values != null;
    }

    Schema values() {
        return values;
    }

    Schema propertySchema(int index) {
        return properties.get(index).schema();
    }

    /** Whether the object may close once the properties before {@code next} were considered. */
    boolean mayClose(int next) {
        return free() || properties.subList(next, properties.size()).stream().noneMatch(Property::required);
    }

    /** Whether another property may come after those before {@code next}. */
    boolean hasMore(int next) {
        return free() || next < properties.size();
    }

    /**
     * The keys that may come next (JSON-encoded, the opening quote already read, the closing one included), the
     * terminal value of each its property's index: the optional properties from {@code next} up to and including
     * the first required one.
     */
    synchronized ByteTrie keys(int next) {
        if (keyTries[next] == null) {
            ByteTrie.Builder keys = new ByteTrie.Builder();
            for (int p = next; p < properties.size(); p++) {
                String quoted = Json.MAPPER.valueToTree(properties.get(p).name()).toString();
                keys.add(quoted.substring(1).getBytes(StandardCharsets.UTF_8), p);
                if (properties.get(p).required()) {
                    break;
                }
            }
            keyTries[next] = keys.build();
        }
        return keyTries[next];
    }

    @Override
    List<Schema> alternatives() {
        return List.of(this);
    }

    @Override
    void start(int b, Stack below, Stacks out) {
        if (b == '{') {
            out.add(below.push(ObjectFrame.opened(this)));
        }
    }
}
