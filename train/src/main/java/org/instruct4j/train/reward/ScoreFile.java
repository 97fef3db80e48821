package org.instruct4j.train.reward;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.train.preference.ComparisonFile;
import org.instruct4j.train.preference.ComparisonGroup;
import org.instruct4j.train.preference.Comparisons;

/**
 * Scores every response of a file with a reward model. Each row is one of
 * <ul>
 *   <li>an instruction row {@code {instruction, input, output}} (Alpaca data, generate answers' output): the row
 *       comes back with {@code reward};</li>
 *   <li>a prompt and response {@code {prompt, response}} (an Alpaca prompt is read back into instruction and input):
 *       the row with {@code reward};</li>
 *   <li>comparison data (v1, v2, ranking pairs, chosen/rejected): one row per prompt,
 *       {@code {instruction, input, responses: [{response, score, source, reward}]}}, and the pairwise accuracy of the
 *       rewards against the file's preferences is measured, next to the length-only baseline.</li>
 * </ul>
 * Every row is read and checked before the model runs.
 */
public final class ScoreFile {
    private ScoreFile() {}

    /** What was scored; accuracy and baseline are NaN when the file holds no comparison pairs. */
    public record Summary(int rows, int responses, int pairs, double accuracy, double lengthBaseline) {}

    /** The scored rows as JSON lines, and the summary. */
    public record Scored(List<ObjectNode> rows, Summary summary) {}

    /**
     * The rows of a file, read and checked: each row as it was (null for a comparison row), the responses to score in
     * order, and the comparison groups.
     */
    public record Rows(List<ObjectNode> rows, List<AlpacaExample> examples, List<ComparisonGroup> groups) {}

    public static Rows read(Path input) {
        List<ObjectNode> rows = new ArrayList<>();
        List<AlpacaExample> examples = new ArrayList<>();
        List<ComparisonGroup> groups = new ArrayList<>();
        try (JsonRows reader = JsonRows.open(input)) {
            while (reader.hasNext()) {
                JsonRow row = reader.next();
                if (row.node().path("output").isTextual()) {
                    examples.add(AlpacaExample.fromJson(row));
                    rows.add(row.node());
                } else if (row.node().has("response")) {
                    AlpacaPrompt.Parts parts = AlpacaPrompt.parse(row.string("prompt").strip())
                            .orElse(new AlpacaPrompt.Parts(row.string("prompt"), ""));
                    examples.add(new AlpacaExample(parts.instruction(), parts.input(), row.string("response")));
                    rows.add(row.node());
                } else {
                    ComparisonGroup group = ComparisonFile.decode(row, row.ordinal());
                    for (int i = 0; i < group.responses().size(); i++) {
                        examples.add(group.example(i));
                    }
                    groups.add(group);
                    rows.add(null);
                }
            }
        }
        return new Rows(rows, examples, groups);
    }

    public static Scored score(RewardModel model, Rows input, int batchSize) {
        List<ObjectNode> rows = input.rows();
        List<ComparisonGroup> groups = input.groups();
        double[] rewards = model.score(input.examples(), batchSize);
        List<ObjectNode> out = new ArrayList<>();
        int next = 0, group = 0, pairs = 0;
        double right = 0;
        for (ObjectNode row : rows) {
            if (row != null) {
                out.add(row.deepCopy().put("reward", rewards[next++]));
                continue;
            }
            ComparisonGroup g = groups.get(group++);
            ObjectNode scored = Json.object().put("instruction", g.instruction()).put("input", g.input());
            ArrayNode responses = scored.putArray("responses");
            int first = next;
            for (ComparisonGroup.RatedResponse response : g.responses()) {
                responses.addObject().put("response", response.text()).put("score", response.score())
                        .put("source", response.source()).put("reward", rewards[next++]);
            }
            for (ComparisonGroup.Pair pair : g.pairs()) {
                double difference = rewards[first + pair.higher()] - rewards[first + pair.lower()];
                right += Comparisons.credit(difference);
                pairs++;
            }
            out.add(scored);
        }
        return new Scored(out, new Summary(rows.size(), rewards.length, pairs, pairs == 0 ? Double.NaN : right / pairs,
                Comparisons.longerWins(groups)));
    }
}
