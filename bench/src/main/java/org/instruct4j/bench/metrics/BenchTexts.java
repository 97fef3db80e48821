package org.instruct4j.bench.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.testkit.SharedData;

/** Realistic inputs for the ROUGE benchmarks, built from the real shared data. */
public final class BenchTexts {
    private BenchTexts() {}

    /** One field of every row of alpaca/alpaca_5000_subset_pr152.json (5,000 real Alpaca rows). */
    static List<String> alpaca(String field) {
        return read("alpaca/alpaca_5000_subset_pr152.json", field);
    }

    /** The 175 seed instructions of alpaca/seed_tasks.jsonl. */
    static List<String> seedInstructions() {
        return read("alpaca/seed_tasks.jsonl", "instruction");
    }

    static List<String> read(String sharedFile, String field) {
        try (Stream<JsonRow> rows = JsonRows.stream(SharedData.path(sharedFile))) {
            return rows.map(row -> row.string(field)).toList();
        }
    }

    /**
     * {@code count} distinct (target, prediction) pairs of real Alpaca outputs: round r pairs row i with row
     * i + r + 1, so every pair has realistic lengths (mean ~45 words) and unrelated-to-moderate overlap.
     */
    public static Pairs shiftedOutputPairs(int count) {
        List<String> outputs = alpaca("output");
        List<String> targets = new ArrayList<>(count);
        List<String> predictions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int row = i % outputs.size();
            int shift = 1 + i / outputs.size();
            targets.add(outputs.get(row));
            predictions.add(outputs.get((row + shift) % outputs.size()));
        }
        return new Pairs(targets, predictions);
    }

    /** The 252 Self-Instruct predictions of text-davinci-003 against their targets, repeated to {@code count}. */
    static Pairs selfInstructPairs(int count) {
        String file = "self_instruct/predictions/text-davinci-003_predictions.jsonl";
        List<String> targets = read(file, "target");
        List<String> responses = read(file, "response");
        List<String> t = new ArrayList<>(count);
        List<String> p = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            t.add(targets.get(i % targets.size()));
            p.add(responses.get(i % responses.size()));
        }
        return new Pairs(t, p);
    }

    /**
     * {@code count} instructions as a Self-Instruct run would propose them: the 5,000 real Alpaca instructions and
     * variants of random pairs of them (half of one joined to half of another, or one word-shuffled, or one with
     * a third of its words taken from another), in random order. Most are new enough to be kept; some are
     * near-duplicates.
     */
    static List<String> instructionStream(int count, long seed) {
        List<String> real = alpaca("instruction");
        List<String> stream = new ArrayList<>(real.subList(0, Math.min(count, real.size())));
        Random random = new Random(seed);
        while (stream.size() < count) {
            List<String> a = words(real.get(random.nextInt(real.size())));
            List<String> b = words(real.get(random.nextInt(real.size())));
            List<String> variant = switch (stream.size() % 3) {
                case 0 -> {
                    List<String> joined = new ArrayList<>(a.subList(0, (a.size() + 1) / 2));
                    joined.addAll(b.subList(b.size() / 2, b.size()));
                    yield joined;
                }
                case 1 -> {
                    List<String> shuffled = new ArrayList<>(a);
                    Collections.shuffle(shuffled, random);
                    yield shuffled;
                }
                default -> {
                    List<String> mixed = new ArrayList<>(a);
                    for (int i = 0; i < mixed.size(); i += 3) {
                        mixed.set(i, b.get(random.nextInt(b.size())));
                    }
                    yield mixed;
                }
            };
            stream.add(String.join(" ", variant));
        }
        Collections.shuffle(stream, random);
        return stream;
    }

    private static List<String> words(String text) {
        return List.of(text.trim().split("\\s+"));
    }

    public record Pairs(List<String> targets, List<String> predictions) {}
}
