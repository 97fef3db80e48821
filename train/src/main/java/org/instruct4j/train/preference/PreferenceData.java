package org.instruct4j.train.preference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.HeldOut;

/**
 * The comparison data of a reward-model or DPO run, tokenized and split by prompt into training and held-out
 * groups (so no prompt is seen in both). Every row is read and checked first, so a bad one fails with
 * file:line:field before any work. Prompts that give no pair (one response, or all scores equal) and prompts
 * that alone fill the length limit cannot be trained on: they are left out and counted, never silently.
 */
public record PreferenceData(List<EncodedGroup> train, List<EncodedGroup> eval, String comparisons, int withoutPairs,
                             List<Long> promptTooLongRows, int truncatedResponses) {

    /** The data of a run: its file, held-out fraction and seed. */
    public static PreferenceData load(Settings settings, ExampleEncoder encoder) {
        return load(settings.get(TrainingSettings.DATA), encoder, settings.get(TrainingSettings.EVAL_FRACTION),
                settings.get(TrainingSettings.SEED), settings.get(TrainingSettings.QUIET));
    }

    public static PreferenceData load(Path file, ExampleEncoder encoder, double evalFraction, long seed, boolean quiet) {
        List<ComparisonGroup> groups = ComparisonFile.read(file);
        List<EncodedGroup> usable = new ArrayList<>();
        List<Long> tooLong = new ArrayList<>();
        int withoutPairs = 0, truncated = 0;
        try (Progress progress = Progress.create("tokenizing", groups.size(), "prompts", quiet)) {
            for (ComparisonGroup group : groups) {
                progress.step();
                List<ComparisonGroup.Pair> pairs = group.pairs();
                if (pairs.isEmpty()) {
                    withoutPairs++;
                    continue;
                }
                List<EncodedExample> responses = new ArrayList<>();
                for (int i = 0; i < group.responses().size(); i++) {
                    responses.add(encoder.encode(group.example(i), group.row()));
                }
                if (responses.get(0).targetCount() == 0) {
                    tooLong.add(group.row());
                    continue;
                }
                truncated += (int) responses.stream().filter(EncodedExample::responseTruncated).count();
                usable.add(new EncodedGroup(group, responses, pairs));
            }
        }
        if (usable.isEmpty()) {
            throw new BadInputException(file + ": no prompt can be trained on: " + Comparisons.summary(groups)
                    + (tooLong.isEmpty() ? "" : "; " + tooLong.size() + " prompts fill the length limit on their own"));
        }
        HeldOut<EncodedGroup> split = HeldOut.split(usable, evalFraction, seed, EncodedGroup::row);
        return new PreferenceData(split.train(), split.eval(), Comparisons.summary(groups), withoutPairs, List.copyOf(tooLong), truncated);
    }

    public static int pairs(List<EncodedGroup> groups) {
        return groups.stream().mapToInt(g -> g.pairs().size()).sum();
    }

    /** The comparison groups of {@code groups}, for baselines. */
    public static List<ComparisonGroup> comparisons(List<EncodedGroup> groups) {
        return groups.stream().map(EncodedGroup::group).toList();
    }

    /** One line for the log: what the file held, what is trained on, what is held out, what could not be used. */
    public String summary(int maxLength) {
        StringBuilder text = new StringBuilder(comparisons).append("; training on ").append(train.size()).append(" prompts (")
                .append(pairs(train)).append(" pairs), ").append(eval.size()).append(" held out (").append(pairs(eval)).append(" pairs)");
        if (truncatedResponses > 0) {
            text.append("; ").append(truncatedResponses).append(" responses cut at ").append(maxLength).append(" tokens");
        }
        if (!promptTooLongRows.isEmpty()) {
            text.append("; ").append(promptTooLongRows.size()).append(" prompts skipped because they fill ").append(maxLength)
                    .append(" tokens on their own (rows ").append(promptTooLongRows.stream().limit(10).map(String::valueOf)
                            .reduce((a, b) -> a + ", " + b).orElse("")).append(promptTooLongRows.size() > 10 ? ", ..." : "").append(')');
        }
        return text.toString();
    }
}
