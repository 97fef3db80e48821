package org.instruct4j.train.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running sums of a step's numbers over its micro-batches (loss, target tokens, pairs ranked right, ...), by name,
 * in a fixed order: the order the recipe declares them in, so that processes of a distributed run can add their
 * sums element by element.
 */
public final class Sums {
    public static final String LOSS = "loss";
    public static final String INPUT_TOKENS = "input_tokens";

    private final Map<String, Double> values = new LinkedHashMap<>();

    /** Zero sums of {@link #LOSS}, {@link #INPUT_TOKENS} and {@code names}. */
    public Sums(String... names) {
        values.put(LOSS, 0.0);
        values.put(INPUT_TOKENS, 0.0);
        for (String name : names) {
            values.put(name, 0.0);
        }
    }

    /** Zero sums of the same names, in the same order. */
    public Sums zeros() {
        Sums zeros = new Sums();
        values.keySet().forEach(name -> zeros.values.put(name, 0.0));
        return zeros;
    }

    /** Adds {@code other}'s sums (of the same names) to these. */
    public void addAll(Sums other) {
        other.values.forEach(this::add);
    }

    public void add(String name, double value) {
        if (!values.containsKey(name)) {
            throw new IllegalStateException("no sum named " + name + "; declared: " + values.keySet());
        }
        values.merge(name, value, Double::sum);
    }

    public double get(String name) {
        Double value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("no sum named " + name + "; declared: " + values.keySet());
        }
        return value;
    }

    /** The sums in their declared order. */
    public double[] toArray() {
        return values.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Replaces the sums with {@code totals} (in the declared order), e.g. after adding up every process's sums. */
    public void set(double[] totals) {
        List<String> names = List.copyOf(values.keySet());
        if (totals.length != names.size()) {
            throw new IllegalStateException("expected " + names.size() + " sums, got " + totals.length);
        }
        for (int i = 0; i < totals.length; i++) {
            values.put(names.get(i), totals[i]);
        }
    }
}
