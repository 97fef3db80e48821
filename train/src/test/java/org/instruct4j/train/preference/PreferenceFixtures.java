package org.instruct4j.train.preference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.train.sft.TinyRuns;

/** Comparison data v2 the preference tests train on: real instructions, responses whose quality follows a rule. */
public final class PreferenceFixtures {
    public static final List<String> SOURCES = List.of("gpt4", "text-davinci-003", "icm-1.3b");

    private PreferenceFixtures() {}

    /**
     * The first {@code prompts} short real Alpaca instructions, each with three responses scored 9, 6 and 2: a
     * helpful one, a hedge and a refusal, as v2 rows {user_input (Alpaca prompt), responses_and_scores}.
     */
    public static Path ruleBased(Path dir, int prompts) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        int taken = 0;
        for (AlpacaExample example : Datasets.readAll(TinyRuns.ALPACA, AlpacaExample::fromJson)) {
            if (taken == prompts) {
                break;
            }
            if (!example.input().isEmpty() || example.instruction().length() > 60) {
                continue;
            }
            ObjectNode row = Json.object().put("user_input", AlpacaPrompt.render(example.instruction(), ""));
            ArrayNode responses = row.putArray("responses_and_scores");
            responses.addObject().put("response", "Sure, here it is.").put("score", 9.0).put("source", SOURCES.get(0));
            responses.addObject().put("response", "Maybe later.").put("score", 6.0).put("source", SOURCES.get(1));
            responses.addObject().put("response", "No.").put("score", 2.0).put("source", SOURCES.get(2));
            jsonl.append(Json.line(row)).append('\n');
            taken++;
        }
        Path file = dir.resolve("comparison_v2.jsonl");
        Files.writeString(file, jsonl);
        return file;
    }
}
