package org.instruct4j.train.preference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.data.ComparisonV1;
import org.instruct4j.core.data.ComparisonV2;
import org.instruct4j.core.data.RankedPair;
import org.instruct4j.core.data.ScoredResponse;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.train.preference.ComparisonGroup.RatedResponse;

/**
 * Reads comparison data in any of the formats the field uses, row by row (a file may even mix them), checking
 * every row before any work so that a bad one fails with file:line:field:
 * <ul>
 *   <li>v2 (GPT-4-LLM {@code comparison_data_v2.json}): {@code {user_input, responses_and_scores:[{response, score,
 *       source}]}}; user_input is an Alpaca prompt, read back into instruction and input;</li>
 *   <li>v1: {@code {user_input, completion_a (better), completion_b}};</li>
 *   <li>LLaMA-Factory's ranking format: {@code {instruction, input, output:[chosen, rejected]}};</li>
 *   <li>chosen/rejected pairs (TRL, Anthropic HH): {@code {prompt or instruction (+ input), chosen, rejected}}.</li>
 * </ul>
 * Pairs become two responses scored 1 (the better) and 0, whose sources name their role.
 */
public final class ComparisonFile {
    private ComparisonFile() {}

    public static List<ComparisonGroup> read(Path file) {
        List<ComparisonGroup> groups = new ArrayList<>();
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                groups.add(decode(row, row.ordinal()));
            }
        }
        if (groups.isEmpty()) {
            throw new BadInputException(file + ": no comparison rows");
        }
        return groups;
    }

    /** One row of comparison data in any of the formats above; {@code index} is its position in the file. */
    public static ComparisonGroup decode(JsonRow row, long index) {
        var node = row.node();
        if (node.has("responses_and_scores")) {
            ComparisonV2 v2 = ComparisonV2.fromJson(row);
            List<RatedResponse> responses = new ArrayList<>();
            for (ScoredResponse r : v2.responsesAndScores()) {
                responses.add(new RatedResponse(r.response(), r.score(), r.source()));
            }
            return fromPrompt(index, v2.userInput(), responses);
        }
        if (node.has("completion_a")) {
            ComparisonV1 v1 = ComparisonV1.fromJson(row);
            return fromPrompt(index, v1.userInput(), pair(v1.completionA(), v1.completionB(), "completion_a", "completion_b"));
        }
        if (node.has("output")) {
            RankedPair ranked = RankedPair.fromJson(row);
            return new ComparisonGroup(index, ranked.instruction(), ranked.input(),
                    pair(ranked.chosen(), ranked.rejected(), "chosen", "rejected"));
        }
        if (node.has("chosen")) {
            List<RatedResponse> responses = pair(row.string("chosen"), row.string("rejected"), "chosen", "rejected");
            return node.has("prompt") ? fromPrompt(index, row.string("prompt"), responses)
                    : new ComparisonGroup(index, row.string("instruction"), row.optionalString("input", ""), responses);
        }
        throw row.error(null, "not comparison data: expected \"responses_and_scores\" (v2), \"completion_a\"/\"completion_b\" (v1), "
                + "\"output\": [chosen, rejected] (LLaMA-Factory ranking) or \"chosen\"/\"rejected\"");
    }

    private static List<RatedResponse> pair(String better, String worse, String betterSource, String worseSource) {
        return List.of(new RatedResponse(better, 1, betterSource), new RatedResponse(worse, 0, worseSource));
    }

    /** An Alpaca prompt is read back into instruction and input; any other prompt text is the instruction itself. */
    private static ComparisonGroup fromPrompt(long index, String prompt, List<RatedResponse> responses) {
        return AlpacaPrompt.parse(prompt.strip())
                .map(parts -> new ComparisonGroup(index, parts.instruction(), parts.input(), responses))
                .orElseGet(() -> new ComparisonGroup(index, prompt, "", responses));
    }
}
