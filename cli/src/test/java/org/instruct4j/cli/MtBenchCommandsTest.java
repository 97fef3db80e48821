package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.Json;
import org.instruct4j.testkit.ChatRequest;
import org.instruct4j.testkit.Responder;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MT-bench end to end on the real stories260K model and the fake teacher as judge: 80 two-turn questions, 160 turns
 * answered by the local model and by an API model, graded one by one (320 judgments) and compared pairwise in both
 * orders (160 matches), with FastChat's show_result tables and the length-controlled win rate.
 */
class MtBenchCommandsTest {
    private static final Path QUESTIONS = SharedData.path("fastchat/llm_judge/mt_bench/question.jsonl");
    private static final Path REFERENCES = SharedData.path("fastchat/llm_judge/mt_bench/reference_answer/gpt-4.jsonl");
    static final String[] STORIES = {"--local-model", SharedData.path("models/stories260K/stories260K.bin").toString(),
        "--local-tokenizer", SharedData.path("models/stories260K/tok512.bin").toString()};

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeTeacher teacher = new FakeTeacher();

    static List<JsonNode> rows(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(Json.MAPPER.readTree(line));
        }
        return rows;
    }

    /** The command line with the local stories260K model as the model under test. */
    static String[] withStories(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(STORIES));
        return all.toArray(String[]::new);
    }

    /** All 80 questions, both turns, with two API models: every call FastChat's scripts make, 160 turns each and 320 grades. */
    @Test
    void mtBenchIsAnsweredGradedAndComparedEndToEnd() throws IOException {
        teacher.server().responder(Responder.tasks());
        Path turbo = answer("gpt-3.5-turbo");
        List<ChatRequest> asked = teacher.server().log().requests();
        assertThat(asked).hasSize(160);
        List<JsonNode> answers = rows(turbo);
        assertThat(answers).hasSize(80).allSatisfy(a -> assertThat(a.get("choices").get(0).get("turns")).hasSize(2));
        Map<Integer, String> firstTurns = new HashMap<>();
        answers.forEach(a -> firstTurns.put(a.get("question_id").asInt(), a.get("choices").get(0).get("turns").get(0).asText()));
        List<JsonNode> questions = rows(QUESTIONS);
        ChatRequest secondTurn = asked.stream().filter(r -> r.messages().size() == 4
                && r.messages().get(1).content().equals(questions.get(0).get("turns").get(0).asText())).findFirst().orElseThrow();
        assertThat(secondTurn.messages()).extracting(ChatRequest.Message::role).containsExactly("system", "user", "assistant", "user");
        assertThat(secondTurn.messages().get(2).content()).isEqualTo(firstTurns.get(81));
        assertThat(secondTurn.temperature()).isEqualTo(0.7);
        String mathSecondTurn = questions.get(30).get("turns").get(1).asText();
        assertThat(asked).filteredOn(r -> r.lastUserMessage().equals(mathSecondTurn))
                .singleElement().satisfies(math -> assertThat(math.temperature()).isZero());
        Path mini = answer("gpt-4o-mini");

        int before = teacher.server().log().chatRequests();
        Path single = dir.resolve("gpt-4_single.jsonl");
        CliRun graded = judge("single", single, turbo, mini);
        assertThat(teacher.server().log().chatRequests() - before).isEqualTo(320);
        List<JsonNode> judgments = rows(single);
        assertThat(judgments).hasSize(320).allSatisfy(j -> assertThat(j.get("score").asInt()).isBetween(1, 10));
        assertThat(judgments.stream().filter(j -> j.get("model").asText().equals("gpt-4o-mini") && j.get("turn").asInt() == 2)).hasSize(80);
        assertThat(judgments.stream().map(j -> j.get("judge").get(1).asText()).distinct())
                .containsExactlyInAnyOrder("single-v1", "single-math-v1", "single-v1-multi-turn", "single-math-v1-multi-turn");
        assertThat(graded.out()).contains("Mode: single", "########## First turn ##########", "########## Second turn ##########",
                "########## Average ##########", "gpt-4o-mini   1", "gpt-3.5-turbo 2");

        Path pairs = dir.resolve("gpt-4_pair.jsonl");
        CliRun compared = judge("pairwise", pairs, turbo, mini);
        assertThat(rows(dir.resolve("gpt-4_pair.games.jsonl"))).hasSize(320);
        assertThat(rows(pairs)).hasSize(160).allSatisfy(m -> {
            assertThat(m.get("model_1").asText()).isEqualTo("gpt-3.5-turbo");
            assertThat(m.get("g1_winner").asText()).isIn("model_1", "model_2", "tie");
        });
        assertThat(compared.out()).contains("Mode: pairwise-all", "win_rate_adjusted", "gpt-3.5-turbo vs gpt-4o-mini: length-controlled win rate of A");

        int requests = teacher.server().log().chatRequests();
        CliRun again = judge("pairwise", pairs, turbo, mini);
        assertThat(teacher.server().log().chatRequests()).isEqualTo(requests);
        assertThat(again.out()).isEqualTo(compared.out());

        CliRun report = CliRun.of("eval", "report", "--reviews", single.toString(), "--reviews", pairs.toString(),
                "--answers", turbo.toString(), "--answers", mini.toString(), "--questions", QUESTIONS.toString(),
                "--output", dir.resolve("report.html").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains(graded.out().substring(graded.out().indexOf("########## First turn")))
                .contains(compared.out().substring(compared.out().indexOf("win_rate_adjusted")));
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Mode: pairwise-all", "length-controlled");
    }

    /** The real stories260K model answers both turns of two questions of every category (the README runs all 80). */
    @Test
    void stories260KAnswersBothTurnsAndIsGraded() throws IOException {
        Path questions = dir.resolve("questions.jsonl");
        Map<String, Integer> perCategory = new HashMap<>();
        StringBuilder subset = new StringBuilder();
        for (String line : Files.readAllLines(QUESTIONS)) {
            if (perCategory.merge(Json.MAPPER.readTree(line).get("category").asText(), 1, Integer::sum) <= 2) {
                subset.append(line).append('\n');
            }
        }
        Files.writeString(questions, subset);
        Path stories = dir.resolve("stories260K.jsonl");
        CliRun local = CliRun.of(withStories("eval", "answer", "--questions", questions.toString(), "--output", stories.toString(),
                "--model-id", "stories260K", "--max-tokens", "8", "--local-truncate", "--quiet"));
        assertThat(local.exitCode()).as(local.err()).isZero();
        assertThat(local.err()).contains("turn 1: 16 new rows", "turn 2: 16 new rows");
        assertThat(rows(stories)).hasSize(16).allSatisfy(a -> {
            assertThat(a.get("model_id").asText()).isEqualTo("stories260K");
            assertThat(a.get("choices").get(0).get("turns")).hasSize(2);
        });

        teacher.server().responder(Responder.tasks());
        Path single = dir.resolve("single.jsonl");
        CliRun graded = teacher.run("eval", "judge", "--mode", "single", "--questions", questions.toString(), "--answers", stories.toString(),
                "--reference-answers", REFERENCES.toString(), "--output", single.toString());
        assertThat(graded.exitCode()).as(graded.err()).isZero();
        assertThat(rows(single)).hasSize(32);
        assertThat(graded.out()).contains("stories260K 1", "stories260K 2", "########## Average ##########");
    }

    private Path answer(String model) {
        Path output = dir.resolve(model + ".jsonl");
        CliRun answered = teacher.run("eval", "answer", "--questions", QUESTIONS.toString(), "--output", output.toString(),
                "--model-id", model, "--model", model);
        assertThat(answered.exitCode()).as(answered.err()).isZero();
        return output;
    }

    private CliRun judge(String mode, Path output, Path... answers) {
        List<String> args = new ArrayList<>(List.of("eval", "judge", "--protocol", "mt-bench", "--mode", mode,
                "--questions", QUESTIONS.toString(), "--reference-answers", REFERENCES.toString(), "--output", output.toString()));
        for (Path answer : answers) {
            args.addAll(List.of("--answers", answer.toString()));
        }
        CliRun run = teacher.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }
}
