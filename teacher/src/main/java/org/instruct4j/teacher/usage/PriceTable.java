package org.instruct4j.teacher.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.Location;

/**
 * US dollars per million prompt and completion tokens, by model. The defaults are list prices for
 * common teachers; a JSON file {@code {"model": {"input": 2.5, "output": 10}}} overrides or extends
 * them. A model name matches its longest listed prefix, so dated snapshots (gpt-4o-2024-08-06) find
 * their family. The Batch API is billed at half price.
 */
public final class PriceTable {
    public record Price(double inputPerMillion, double outputPerMillion) {
        public double cost(long promptTokens, long completionTokens) {
            return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1e6;
        }
    }

    private static final Price FREE = new Price(0, 0);

    private final Map<String, Price> prices;
    private final boolean free;

    private PriceTable(Map<String, Price> prices, boolean free) {
        this.prices = prices;
        this.free = free;
    }

    private PriceTable(Map<String, Price> prices) {
        this(prices, false);
    }

    /** Every model costs nothing: a local model runs on the user's own hardware. */
    public static PriceTable free() {
        return new PriceTable(Map.of(), true);
    }

    public static PriceTable defaults() {
        Map<String, Price> p = new LinkedHashMap<>();
        p.put("gpt-4", new Price(30, 60));
        p.put("gpt-4-32k", new Price(60, 120));
        p.put("gpt-4-turbo", new Price(10, 30));
        p.put("gpt-4o", new Price(2.5, 10));
        p.put("gpt-4o-mini", new Price(0.15, 0.6));
        p.put("gpt-4.1", new Price(2, 8));
        p.put("gpt-4.1-mini", new Price(0.4, 1.6));
        p.put("gpt-4.1-nano", new Price(0.1, 0.4));
        p.put("gpt-3.5-turbo", new Price(0.5, 1.5));
        p.put("o1", new Price(15, 60));
        p.put("o3", new Price(2, 8));
        p.put("o3-mini", new Price(1.1, 4.4));
        p.put("o4-mini", new Price(1.1, 4.4));
        return new PriceTable(p);
    }

    /** The defaults overridden by a JSON price file. */
    public PriceTable withOverrides(Path file) {
        Map<String, Price> merged = new LinkedHashMap<>(prices);
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
            if (input == null || !input.isNumber() || output == null || !output.isNumber()) {
                throw new BadInputException(Location.file(file), entry.getKey(),
                        "expected {\"input\": dollars per 1M prompt tokens, \"output\": dollars per 1M completion tokens}");
            }
            merged.put(entry.getKey(), new Price(input.doubleValue(), output.doubleValue()));
        });
        return new PriceTable(merged);
    }

    public Optional<Price> priceOf(String model) {
        if (free) {
            return Optional.of(FREE);
        }
        return prices.entrySet().stream()
                .filter(e -> model.equals(e.getKey()) || model.startsWith(e.getKey() + "-"))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue);
    }
}
