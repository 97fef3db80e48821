package org.instruct4j.teacher.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.instruct4j.core.io.Json;

/**
 * Prompt and completion tokens per model, and what they cost. Thread-safe. While a job runs, every reply it records
 * also goes to the job's {@link UsageJournal}, so the usage survives a killed process.
 */
public final class UsageMeter {
    private record Counts(LongAdder requests, LongAdder prompt, LongAdder completion) {
        Counts() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    private final Map<String, Counts> byModel = new ConcurrentHashMap<>();
    private final PriceTable prices;
    private final double priceFactor;
    private volatile UsageJournal journal;

    /** {@code priceFactor} is 0.5 for the Batch API, 1 otherwise. */
    public UsageMeter(PriceTable prices, double priceFactor) {
        this.prices = prices;
        this.priceFactor = priceFactor;
    }

    public void record(String model, long promptTokens, long completionTokens) {
        add(model, 1, promptTokens, completionTokens);
        UsageJournal current = journal;
        if (current != null) {
            current.record(model, promptTokens, completionTokens);
        }
    }

    /** Every reply recorded from now on is also appended to {@code journal}; null stops that. */
    public void journalTo(UsageJournal journal) {
        this.journal = journal;
    }

    public PriceTable prices() {
        return prices;
    }

    /** 0.5 for the Batch API, 1 otherwise. */
    public double priceFactor() {
        return priceFactor;
    }

    /** What {@code promptTokens} and {@code completionTokens} of {@code model} cost here, or NaN without a price. */
    public double cost(String model, long promptTokens, long completionTokens) {
        return prices.priceOf(model).map(p -> p.cost(promptTokens, completionTokens) * priceFactor).orElse(Double.NaN);
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
            total += cost(e.getKey(), e.getValue().prompt().sum(), e.getValue().completion().sum());
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
            double cost = cost(model, counts.prompt().sum(), counts.completion().sum());
            if (Double.isNaN(cost)) {
                m.putNull("estimated_cost_usd");
            } else {
                m.put("estimated_cost_usd", round(cost));
            }
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
