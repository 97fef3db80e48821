package org.instruct4j.train.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.testkit.SharedData;
import org.instruct4j.train.config.Settings;

/** The real tiny model and data the training tests run on. */
public final class TinyRuns {
    public static final Path STORIES = SharedData.path("models/stories260K/stories260K.bin");
    public static final Path STORIES_TOKENIZER = SharedData.path("models/stories260K/tok512.bin");
    public static final Path ALPACA = SharedData.path("alpaca/alpaca_5000_subset_pr152.json");

    private TinyRuns() {}

    /** The first {@code rows} real Alpaca rows whose output is short, as a JSONL file. */
    static Path alpacaSubset(Path dir, int rows, int maxOutputChars) throws IOException {
        List<AlpacaExample> all = Datasets.readAll(ALPACA, AlpacaExample::fromJson);
        StringBuilder jsonl = new StringBuilder();
        int taken = 0;
        for (AlpacaExample example : all) {
            if (taken < rows && example.output().length() <= maxOutputChars && example.input().length() < 200) {
                jsonl.append(Json.line(example.toJson())).append('\n');
                taken++;
            }
        }
        Path file = dir.resolve("alpaca_subset.jsonl");
        Files.writeString(file, jsonl);
        return file;
    }

    /** A stories260K run on {@code data} into {@code output}, fp32, quiet, with extra overrides. */
    static Settings stories(Path data, Path output, String... overrides) {
        return SftRecipe.SETTINGS.defaults().with(storiesRun(data, output)).with(overrides);
    }

    /** The settings every recipe's stories260K test run shares: base, data, output, fp32, quiet. */
    public static String[] storiesRun(Path data, Path output) {
        return new String[] {"--base=" + STORIES, "--tokenizer=" + STORIES_TOKENIZER, "--data=" + data, "--output=" + output,
            "--precision=fp32", "--quiet"};
    }

    /** The rows of a run's metrics.jsonl. */
    public static List<JsonNode> metrics(Path run) {
        List<JsonNode> rows = new ArrayList<>();
        Datasets.forEach(run.resolve("metrics.jsonl"), row -> row.node(), rows::add);
        return rows;
    }

    /**
     * Asserts that two runs logged the same steps with, within 1e-5, the same loss, gradient norm and held-out loss
     * (-1 where a row has none).
     */
    public static void assertSameCurve(List<JsonNode> actual, List<JsonNode> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i).get("step").asInt()).isEqualTo(expected.get(i).get("step").asInt());
            for (String field : List.of("loss", "grad_norm", "eval_loss")) {
                assertThat(actual.get(i).path(field).asDouble(-1)).as("%s at row %d", field, i)
                        .isCloseTo(expected.get(i).path(field).asDouble(-1), within(1e-5));
            }
        }
    }

    /**
     * {@code killed} made what an SFT run in {@code run} leaves when killed later than its checkpoint at {@code step}:
     * its settings, that checkpoint and the first {@code rows} rows of its metrics.
     */
    static void killedAfter(Path run, int step, int rows, Path killed) throws IOException {
        String checkpoint = String.format("checkpoints/step-%06d", step);
        Files.createDirectories(killed.resolve("checkpoints"));
        Files.copy(run.resolve("sft_config.yaml"), killed.resolve("sft_config.yaml"));
        copyTree(run.resolve(checkpoint), killed.resolve(checkpoint));
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        Files.writeString(killed.resolve("metrics.jsonl"), String.join("\n", lines.subList(0, rows)) + "\n");
    }

    public static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
