package org.instruct4j.train.synthetic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;

/**
 * A small instruction set whose answers can be checked exactly, to show that fine-tuning teaches a model to
 * follow instructions: "Repeat: the cat sat" -> "the cat sat", "Reverse: a b c" -> "c b a". Words come from a
 * fixed list of simple English words; held-out examples never share their word sequence with a training one.
 */
public final class SyntheticInstructions {
    static final List<String> WORDS = List.of("cat", "dog", "sun", "tree", "ball", "bird", "fish", "cake", "hat", "box",
            "red", "big", "blue", "happy", "little", "girl", "boy", "park", "toy", "car", "moon", "star", "book", "cup");

    private SyntheticInstructions() {}

    /** {@code trainRows} training and {@code testRows} held-out examples, half of each kind, from {@code seed}. */
    public static Split generate(int trainRows, int testRows, long seed) {
        Random random = new Random(seed);
        Set<String> seen = new HashSet<>();
        List<AlpacaExample> all = new ArrayList<>();
        while (all.size() < trainRows + testRows) {
            int length = 2 + random.nextInt(3);
            List<String> words = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                words.add(WORDS.get(random.nextInt(WORDS.size())));
            }
            boolean reverse = all.size() % 2 == 1;
            String key = (reverse ? "R " : "C ") + String.join(" ", words);
            if (!seen.add(key)) {
                continue;
            }
            all.add(example(words, reverse));
        }
        return new Split(List.copyOf(all.subList(0, trainRows)), List.copyOf(all.subList(trainRows, all.size())));
    }

    static AlpacaExample example(List<String> words, boolean reverse) {
        String text = String.join(" ", words);
        if (!reverse) {
            return new AlpacaExample("Repeat: " + text, "", text);
        }
        List<String> reversed = new ArrayList<>(words);
        Collections.reverse(reversed);
        return new AlpacaExample("Reverse: " + text, "", String.join(" ", reversed));
    }

    /** Training and held-out examples. */
    public record Split(List<AlpacaExample> train, List<AlpacaExample> test) {
        /** Writes both as JSONL files. */
        public void write(Path trainFile, Path testFile) {
            write(train, trainFile);
            write(test, testFile);
        }

        private static void write(List<AlpacaExample> rows, Path file) {
            StringBuilder jsonl = new StringBuilder();
            rows.forEach(row -> jsonl.append(Json.line(row.toJson())).append('\n'));
            AtomicFiles.writeString(file, jsonl.toString());
        }
    }
}
