package org.instruct4j.train.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.progress.Progress;

/**
 * The examples of a run, tokenized, split into training and held-out rows ({@link Conversation}: Alpaca,
 * ShareGPT or messages rows; a row of several turns may give several examples, which stay on the same side of
 * the split). Every row of the file is decoded first, so a bad row fails with file:line:field before any work.
 * Examples whose prompt alone fills the length limit have no target token left: they cannot be trained on, so they
 * are left out and their rows counted (with their row numbers) instead of disappearing silently.
 */
public record TrainingData(List<EncodedExample> train, List<EncodedExample> eval, List<Long> promptTooLongRows,
                           int truncatedResponses, long rows) {

    public static TrainingData load(Path file, ExampleEncoder encoder, double evalFraction, long seed, boolean quiet) {
        List<Conversation> conversations = Datasets.readAll(file, row -> Conversation.read(row, encoder.format()));
        List<List<EncodedExample>> usable = new ArrayList<>();
        List<Long> tooLong = new ArrayList<>();
        int truncated = 0;
        try (Progress progress = Progress.create("tokenizing", conversations.size(), "rows", quiet)) {
            for (int row = 0; row < conversations.size(); row++) {
                List<EncodedExample> examples = new ArrayList<>();
                for (EncodedExample encoded : encoder.encode(conversations.get(row), row)) {
                    if (encoded.targetCount() > 0) {
                        examples.add(encoded);
                        truncated += encoded.responseTruncated() ? 1 : 0;
                    }
                }
                if (examples.isEmpty()) {
                    tooLong.add((long) row);
                } else {
                    usable.add(examples);
                }
                progress.step();
            }
        }
        if (usable.isEmpty()) {
            throw new BadInputException(file + ": no row can be trained on: all " + conversations.size()
                    + " prompts fill the length limit on their own; raise max-length");
        }
        HeldOut<List<EncodedExample>> split = HeldOut.split(usable, evalFraction, seed, examples -> examples.get(0).row());
        return new TrainingData(flat(split.train()), flat(split.eval()), List.copyOf(tooLong), truncated, conversations.size());
    }

    private static List<EncodedExample> flat(List<List<EncodedExample>> rows) {
        return rows.stream().flatMap(List::stream).toList();
    }

    /** One line for the log: what is trained on, what is held out, what could not be used. */
    public String summary(int maxLength) {
        StringBuilder text = new StringBuilder().append(rows).append(" rows: ").append(train.size()).append(" examples for training, ")
                .append(eval.size()).append(" held out");
        if (truncatedResponses > 0) {
            text.append("; ").append(truncatedResponses).append(" examples cut at ").append(maxLength).append(" tokens");
        }
        if (!promptTooLongRows.isEmpty()) {
            text.append("; ").append(promptTooLongRows.size()).append(" rows skipped because their prompt alone fills ")
                    .append(maxLength).append(" tokens (rows ")
                    .append(promptTooLongRows.stream().limit(10).map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""))
                    .append(promptTooLongRows.size() > 10 ? ", ..." : "").append(')');
        }
        return text.toString();
    }
}
