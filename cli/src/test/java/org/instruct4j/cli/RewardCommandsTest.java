package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train reward, score, rank, eval answer --best-of and train dpo as a user runs them, on the real stories260K model:
 * a reward model learns which of three responses is best and then picks the best of the student's samples.
 */
class RewardCommandsTest {
    static final String STORIES = SharedData.path("models/stories260K/stories260K.bin").toString();
    static final String TOKENIZER = SharedData.path("models/stories260K/tok512.bin").toString();
    static final List<String> INSTRUCTIONS = List.of("Say hi.", "Name a color.", "Count to three.", "Tell a joke.",
            "Describe the sun.", "Name a fruit.", "Greet a friend.", "Give a tip.", "Name an animal.", "Pick a number.",
            "Say thanks.", "Name a day.");
    static final String GOOD = "Sure, here it is.";

    @TempDir
    static Path dir;
    static Path comparisons;
    static Path rewardModel;

    /** Comparison data v2 whose best response is always the helpful one, and a reward model trained on it. */
    @BeforeAll
    static void trainRewardModel() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (String instruction : INSTRUCTIONS) {
            ObjectNode row = Json.object().put("user_input", AlpacaPrompt.render(instruction, ""));
            ArrayNode responses = row.putArray("responses_and_scores");
            responses.addObject().put("response", "No.").put("score", 2).put("source", "icm-1.3b");
            responses.addObject().put("response", GOOD).put("score", 9).put("source", "gpt4");
            responses.addObject().put("response", "Maybe later.").put("score", 6).put("source", "text-davinci-003");
            jsonl.append(Json.line(row)).append('\n');
        }
        comparisons = dir.resolve("comparison_v2.jsonl");
        Files.writeString(comparisons, jsonl);
        rewardModel = dir.resolve("rm");
        CliRun train = CliRun.of("train", "reward", "--base", STORIES, "--tokenizer", TOKENIZER, "--data", comparisons.toString(),
                "--output", rewardModel.toString(), "--precision=fp32", "--max-length=160", "--epochs=3", "--batch-size=3",
                "--micro-batch-size=3", "--lr=3e-3", "--eval-fraction=0.25", "--eval-steps=3", "--save-steps=0", "--quiet");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("held-out pairwise accuracy 1.0000 on 9 pairs (longer response wins: 1.0000)");
    }

    @Test
    void scoreRanksTheComparisonDataAndScoresInstructionRows() throws IOException {
        Path scored = dir.resolve("scored.jsonl");
        CliRun score = CliRun.of("score", "--reward-model", rewardModel.toString(), "--input", comparisons.toString(),
                "--output", scored.toString());
        assertThat(score.exitCode()).as(score.err()).isZero();
        assertThat(score.out()).contains("scored 36 responses in 12 rows", "pairwise accuracy 1.0000 on 36 pairs");
        JsonNode first = rows(scored).get(0);
        assertThat(first.get("instruction").asText()).isEqualTo("Say hi.");
        assertThat(first.get("responses").get(1).get("reward").asDouble()).isGreaterThan(first.get("responses").get(0).get("reward").asDouble());

        Path alpaca = dir.resolve("alpaca.jsonl");
        Files.writeString(alpaca, "{\"instruction\": \"Say hi.\", \"input\": \"\", \"output\": \"Sure, here it is.\", \"model\": \"x\"}\n");
        CliRun toStdout = CliRun.of("score", "--reward-model", rewardModel.toString(), "--input", alpaca.toString());
        assertThat(toStdout.exitCode()).as(toStdout.err()).isZero();
        assertThat(Json.MAPPER.readTree(toStdout.out()).get("reward").isNumber()).isTrue();
        assertThat(Json.MAPPER.readTree(toStdout.out()).get("model").asText()).isEqualTo("x");
    }

    @Test
    void rankKeepsTheBestCandidateOfEachInstruction() throws IOException {
        Path candidates = dir.resolve("candidates.jsonl");
        StringBuilder jsonl = new StringBuilder();
        for (String output : List.of("No.", "Maybe later.", GOOD)) {
            jsonl.append(Json.line(Json.object().put("id", "q1").put("instruction", "Name a planet.").put("input", "").put("output", output))).append('\n');
            jsonl.append(Json.line(Json.object().put("id", "q2").put("instruction", "Say bye.").put("input", "").put("output", output))).append('\n');
        }
        Files.writeString(candidates, jsonl);
        Path best = dir.resolve("best.jsonl");
        CliRun rank = CliRun.of("rank", "--reward-model", rewardModel.toString(), "--input", candidates.toString(), "--output", best.toString());
        assertThat(rank.exitCode()).as(rank.err()).isZero();
        List<JsonNode> rows = rows(best);
        assertThat(rows).extracting(r -> r.get("id").asText()).containsExactly("q1", "q2");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("output").asText()).isEqualTo(GOOD);
            assertThat(r.get("best_of").asInt()).isEqualTo(3);
            assertThat(r.get("reward").asDouble()).isEqualTo(r.get("rewards").get(2).asDouble());
        });
    }

    @Test
    void evalAnswerBestOfSamplesTheStudentAndKeepsTheAnswerTheRewardModelPrefers() throws IOException {
        Path questions = dir.resolve("questions.jsonl");
        List<String> lines = Files.readAllLines(SharedData.path("gpt4llm/vicuna_question_80.jsonl")).subList(0, 3);
        Files.writeString(questions, String.join("\n", lines) + "\n");
        Path answers = dir.resolve("answers.jsonl");
        CliRun answer = CliRun.of("eval", "answer", "--questions", questions.toString(), "--output", answers.toString(),
                "--model-id", "stories260K", "--local-model", STORIES, "--local-tokenizer", TOKENIZER, "--prompt-format", "alpaca",
                "--max-tokens", "12", "--temperature", "1.0", "--best-of", "3", "--reward-model", rewardModel.toString(), "--quiet");
        assertThat(answer.exitCode()).as(answer.err()).isZero();

        List<JsonNode> samples = rows(dir.resolve("answers.samples.jsonl"));
        assertThat(samples).hasSize(9);
        Set<String> distinct = new HashSet<>();
        samples.forEach(s -> distinct.add(s.get("question_id").asText() + "|" + s.get("text").asText()));
        assertThat(distinct).as("each sample of a question is drawn with its own seed").hasSizeGreaterThan(3);
        List<JsonNode> best = rows(answers);
        assertThat(best).hasSize(3);
        for (JsonNode row : best) {
            JsonNode metadata = row.get("metadata");
            assertThat(metadata.get("best_of").asInt()).isEqualTo(3);
            double max = Math.max(metadata.get("rewards").get(0).asDouble(), Math.max(metadata.get("rewards").get(1).asDouble(),
                    metadata.get("rewards").get(2).asDouble()));
            assertThat(metadata.get("reward").asDouble()).isEqualTo(max);
            assertThat(row.get("model_id").asText()).isEqualTo("stories260K");
        }

        // the samples rerank to the same answers with rank, the FastChat answers resolved through the questions file;
        // rank keeps the samples file's order of questions, which is the order they finished in, so compare by question
        Path reranked = dir.resolve("reranked.jsonl");
        CliRun rank = CliRun.of("rank", "--reward-model", rewardModel.toString(), "--input", dir.resolve("answers.samples.jsonl").toString(),
                "--questions", questions.toString(), "--output", reranked.toString());
        assertThat(rank.exitCode()).as(rank.err()).isZero();
        assertThat(textByQuestion(rows(reranked))).isEqualTo(textByQuestion(best));
    }

    @Test
    void dpoRunsOnTheComparisonDataAndReportsHeldOutMargins() {
        Path output = dir.resolve("dpo");
        CliRun dpo = CliRun.of("train", "dpo", "--base", STORIES, "--tokenizer", TOKENIZER, "--data", comparisons.toString(),
                "--output", output.toString(), "--precision=fp32", "--max-length=160", "--max-steps=2", "--batch-size=3",
                "--micro-batch-size=3", "--lr=1e-3", "--eval-fraction=0.25", "--quiet");
        assertThat(dpo.exitCode()).as(dpo.err()).isZero();
        assertThat(dpo.out()).contains("finished 2/2 steps", "held-out reward accuracy");
        // before the first update the policy is the reference: their log-probabilities (libtorch's and the CPU
        // engine's) agree within rounding, so the margin prints as zero, of either sign
        assertThat(dpo.out()).containsPattern("\\(before: -?0\\.0000\\)");
        assertThat(output.resolve("model.safetensors")).exists();
    }

    @Test
    void badInputExitsWith2NamingFileLineAndFieldAndWritesNothing() throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"user_input\": \"Hi\", \"completion_a\": \"Hello\", \"completion_b\": \"Bye\"}\n"
                + "{\"user_input\": \"Hi\", \"completion_a\": \"Hello\"}\n");
        Path never = dir.resolve("never");
        CliRun train = CliRun.of("train", "reward", "--base", STORIES, "--tokenizer", TOKENIZER, "--data", bad.toString(),
                "--output", never.toString(), "--quiet");
        assertThat(train.exitCode()).isEqualTo(2);
        assertThat(train.err()).contains("bad.jsonl:2", "\"completion_b\"");
        assertThat(never).doesNotExist();

        CliRun score = CliRun.of("score", "--reward-model", rewardModel.toString(), "--input", bad.toString(),
                "--output", never.toString());
        assertThat(score.exitCode()).isEqualTo(2);
        assertThat(score.err()).contains("bad.jsonl:2");
        assertThat(never).doesNotExist();

        CliRun fastChat = CliRun.of("rank", "--reward-model", rewardModel.toString(), "--input",
                SharedData.path("fastchat/eval_table/answer/answer_alpaca-13b.jsonl").toString(), "--output", never.toString());
        assertThat(fastChat.exitCode()).isEqualTo(2);
        assertThat(fastChat.err()).contains("answer_alpaca-13b.jsonl:1", "--questions");

        CliRun noRewardModel = CliRun.of("eval", "answer", "--questions", SharedData.path("gpt4llm/vicuna_question_80.jsonl").toString(),
                "--output", never.toString(), "--model-id", "x", "--local-model", STORIES, "--local-tokenizer", TOKENIZER, "--best-of", "3");
        assertThat(noRewardModel.exitCode()).isEqualTo(2);
        assertThat(noRewardModel.err()).contains("--reward-model");
        assertThat(never).doesNotExist();
    }

    static List<JsonNode> rows(Path file) {
        List<JsonNode> rows = new ArrayList<>();
        Datasets.forEach(file, row -> row.node(), rows::add);
        return rows;
    }

    /** Each row's answer text by its question_id. */
    private static Map<String, String> textByQuestion(List<JsonNode> rows) {
        Map<String, String> texts = new TreeMap<>();
        rows.forEach(r -> texts.put(r.get("question_id").asText(), r.get("text").asText()));
        return texts;
    }
}
