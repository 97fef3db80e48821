package org.instruct4j.teacher.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.instruct4j.core.io.Json;

/** Prompt and completion tokens per model, and what they cost. Thread-safe. */
public final class UsageMeter {
    private record Counts(LongAdder requests, LongAdder prompt, LongAdder completion) {
        Counts() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    private final Map<String, Counts> byModel = new ConcurrentHashMap<>();
    private final PriceTable prices;
    private final double priceFactor;

    /** {@code priceFactor} is 0.5 for the Batch API, 1 otherwise. */
    public UsageMeter(PriceTable prices, double priceFactor) {
        this.prices = prices;
        this.priceFactor = priceFactor;
    }

    public void record(String model, long promptTokens, long completionTokens) {
        add(model, 1, promptTokens, completionTokens);
    }

    /** Adds the usage of several requests, e.g. one Spark partition's total. */
    public void add(String model, long requests, long promptTokens, long completionTokens) {
        Counts counts = byModel.computeIfAbsent(model, m -> new Counts());
        counts.requests().add(requests);
        counts.prompt().add(promptTokens);
        counts.completion().add(completionTokens);
    }

    public long totalTokens() {
        return byModel.values().stream().mapToLong(c -> c.prompt().sum() + c.completion().sum()).sum();
    }

    /** Estimated dollars, or NaN when some model has no known price. */
    public double estimatedCost() {
        double total = 0;
        for (Map.Entry<String, Counts> e : byModel.entrySet()) {
            var price = prices.priceOf(e.getKey());
            if (price.isEmpty()) {
                return Double.NaN;
            }
            total += price.get().cost(e.getValue().prompt().sum(), e.getValue().completion().sum()) * priceFactor;
        }
        return total;
    }

    /** The usage block of a run's metadata file. */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        ObjectNode models = node.putObject("models");
        new TreeMap<>(byModel).forEach((model, counts) -> {
            ObjectNode m = models.putObject(model);
            m.put("requests", counts.requests().sum());
            m.put("prompt_tokens", counts.prompt().sum());
            m.put("completion_tokens", counts.completion().sum());
            prices.priceOf(model).ifPresentOrElse(
                    p -> m.put("estimated_cost_usd", round(p.cost(counts.prompt().sum(), counts.completion().sum()) * priceFactor)),
                    () -> m.putNull("estimated_cost_usd"));
        });
        double cost = estimatedCost();
        if (Double.isNaN(cost)) {
            node.putNull("estimated_cost_usd");
        } else {
            node.put("estimated_cost_usd", round(cost));
        }
        node.put("price_factor", priceFactor);
        return node;
    }

    /** One line per model for the end-of-run summary. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(byModel).forEach((model, c) -> text.append(String.format("  %s: %,d requests, %,d prompt + %,d completion tokens%n",
                model, c.requests().sum(), c.prompt().sum(), c.completion().sum())));
        double cost = estimatedCost();
        text.append(Double.isNaN(cost) ? "  estimated cost: unknown (no price for this model; pass --prices FILE)"
                : String.format("  estimated cost: $%.4f%s", cost, priceFactor < 1 ? " (Batch API price)" : ""));
        return text.toString();
    }

    private static double round(double dollars) {
        return Math.round(dollars * 1e6) / 1e6;
    }
}
