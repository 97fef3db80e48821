package org.instruct4j.teacher.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.Location;

/**
 * US dollars per million prompt and completion tokens, and the context window in tokens, by model. The defaults are
 * list prices and context windows of common teachers; a JSON file {@code {"model": {"input": 2.5, "output": 10,
 * "context": 128000}}} overrides or extends them ({@code context} is optional). A model name matches its longest
 * listed prefix, so dated snapshots (gpt-4o-2024-08-06) find their family. The Batch API is billed at half price.
 */
public final class PriceTable {
    public record Price(double inputPerMillion, double outputPerMillion) {
        public double cost(long promptTokens, long completionTokens) {
            return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1e6;
        }
    }

    private static final Price FREE = new Price(0, 0);

    private final Map<String, Price> prices;
    private final Map<String, Long> contexts;
    private final boolean free;

    private PriceTable(Map<String, Price> prices, Map<String, Long> contexts, boolean free) {
        this.prices = prices;
        this.contexts = contexts;
        this.free = free;
    }

    /** Every model costs nothing: a local model runs on the user's own hardware. */
    public static PriceTable free() {
        return new PriceTable(Map.of(), Map.of(), true);
    }

    public static PriceTable defaults() {
        Map<String, Price> p = new LinkedHashMap<>();
        Map<String, Long> c = new LinkedHashMap<>();
        model(p, c, "gpt-4", 30, 60, 8_192);
        model(p, c, "gpt-4-32k", 60, 120, 32_768);
        model(p, c, "gpt-4-turbo", 10, 30, 128_000);
        model(p, c, "gpt-4-1106-preview", 10, 30, 128_000);
        model(p, c, "gpt-4-0125-preview", 10, 30, 128_000);
        model(p, c, "gpt-4-vision-preview", 10, 30, 128_000);
        model(p, c, "gpt-4o", 2.5, 10, 128_000);
        model(p, c, "gpt-4o-mini", 0.15, 0.6, 128_000);
        model(p, c, "gpt-4.1", 2, 8, 1_047_576);
        model(p, c, "gpt-4.1-mini", 0.4, 1.6, 1_047_576);
        model(p, c, "gpt-4.1-nano", 0.1, 0.4, 1_047_576);
        model(p, c, "gpt-3.5-turbo", 0.5, 1.5, 16_385);
        model(p, c, "o1", 15, 60, 200_000);
        model(p, c, "o3", 2, 8, 200_000);
        model(p, c, "o3-mini", 1.1, 4.4, 200_000);
        model(p, c, "o4-mini", 1.1, 4.4, 200_000);
        return new PriceTable(p, c, false);
    }

    private static void model(Map<String, Price> prices, Map<String, Long> contexts, String name, double input, double output,
            long context) {
        prices.put(name, new Price(input, output));
        contexts.put(name, context);
    }

    /** The defaults overridden by a JSON price file. */
    public PriceTable withOverrides(Path file) {
        Map<String, Price> mergedPrices = new LinkedHashMap<>(prices);
        Map<String, Long> mergedContexts = new LinkedHashMap<>(contexts);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new BadInputException(Location.file(file), null, "not a JSON price table: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(Location.file(file), null, "expected an object {\"model\": {\"input\": N, \"output\": N}}");
        }
        root.fields().forEachRemaining(entry -> {
            JsonNode input = entry.getValue().get("input");
            JsonNode output = entry.getValue().get("output");
            JsonNode context = entry.getValue().get("context");
            if (input == null || !input.isNumber() || output == null || !output.isNumber()) {
                throw new BadInputException(Location.file(file), entry.getKey(),
                        "expected {\"input\": dollars per 1M prompt tokens, \"output\": dollars per 1M completion tokens}");
            }
            if (context != null && !(context.canConvertToExactIntegral() && context.longValue() > 0)) {
                throw new BadInputException(Location.file(file), entry.getKey() + ".context", "expected the context window in tokens");
            }
            mergedPrices.put(entry.getKey(), new Price(input.doubleValue(), output.doubleValue()));
            if (context != null) {
                mergedContexts.put(entry.getKey(), context.longValue());
            }
        });
        return new PriceTable(mergedPrices, mergedContexts, false);
    }

    public Optional<Price> priceOf(String model) {
        if (free) {
            return Optional.of(FREE);
        }
        return longestPrefix(prices, model);
    }

    /** The most tokens {@code model} reads in one request, prompt and reply together, when known. */
    public OptionalLong contextOf(String model) {
        return longestPrefix(contexts, model).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Whether every model is free, as a local model is. */
    public boolean isFree() {
        return free;
    }

    private static <V> Optional<V> longestPrefix(Map<String, V> table, String model) {
        return table.entrySet().stream()
                .filter(e -> model.equals(e.getKey()) || model.startsWith(e.getKey() + "-"))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue);
    }
}
