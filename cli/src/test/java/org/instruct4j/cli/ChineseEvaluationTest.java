package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.instruct4j.cli.MtBenchCommandsTest.rows;
import static org.instruct4j.cli.MtBenchCommandsTest.withStories;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * GPT-4-LLM's Chinese evaluation (its Figure 5) end to end, with the real stories260K model under test and the fake
 * teacher as GPT-4, translator and judge, on two Vicuna questions of each category: (a) the model's English answers
 * translated, against GPT-4 answering the Chinese questions in Chinese; (b) the same, against GPT-4's English answers
 * translated; (c) the model answering the Chinese questions in Chinese, against GPT-4's translated answers; the judge
 * always reads the Chinese question.
 */
class ChineseEvaluationTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeTeacher teacher = new FakeTeacher();

    private Path file(String name) {
        return dir.resolve(name);
    }

    private CliRun ok(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    @Test
    void theThreeSetupsOfFigure5RunEndToEnd() throws IOException {
        teacher.server().responder(Responder.tasks());
        Map<String, Integer> perCategory = new HashMap<>();
        StringBuilder subset = new StringBuilder();
        for (String line : Files.readAllLines(SharedData.path("fastchat/eval_table/question.jsonl"))) {
            if (perCategory.merge(Json.MAPPER.readTree(line).get("category").asText(), 1, Integer::sum) <= 2) {
                subset.append(line).append('\n');
            }
        }
        Path questions = Files.writeString(file("question.jsonl"), subset);

        ok(CliRun.of(withStories("eval", "answer", "--questions", questions.toString(), "--output", file("stories260K.jsonl").toString(),
                "--model-id", "stories260K", "--prompt-format", "alpaca", "--max-tokens", "8", "--local-truncate", "--quiet")));
        ok(teacher.run("generate", "translate", "--input", file("stories260K.jsonl").toString(),
                "--output", file("stories260K_t.jsonl").toString()));
        ok(teacher.run("eval", "answer", "--questions", questions.toString(), "--output", file("gpt-4.jsonl").toString(),
                "--model-id", "gpt-4", "--model", "gpt-4"));
        ok(teacher.run("generate", "translate", "--input", file("gpt-4.jsonl").toString(), "--output", file("gpt-4_t.jsonl").toString()));
        ok(teacher.run("generate", "translate", "--input", questions.toString(), "--output", file("question_zh.jsonl").toString()));
        ok(teacher.run("eval", "answer", "--questions", file("question_zh.jsonl").toString(), "--output", file("gpt-4_g.jsonl").toString(),
                "--model-id", "gpt-4-zh", "--model", "gpt-4", "--language", "zh"));
        ok(CliRun.of(withStories("eval", "answer", "--questions", file("question_zh.jsonl").toString(),
                "--output", file("stories260K_zh.jsonl").toString(), "--model-id", "stories260K-zh", "--prompt-format", "alpaca",
                "--language", "zh", "--max-tokens", "8", "--local-truncate", "--quiet")));

        List<JsonNode> chineseQuestions = rows(file("question_zh.jsonl"));
        assertThat(chineseQuestions).hasSize(18).allSatisfy(q -> {
            assertThat(q.get("text").asText()).startsWith("译文：").endsWith(q.get("source_text").asText());
            assertThat(q.get("category").isTextual()).isTrue();
        });
        assertThat(rows(file("stories260K_t.jsonl"))).hasSize(18).allSatisfy(a -> {
            assertThat(a.get("model_id").asText()).isEqualTo("stories260K-translated-zh");
            assertThat(a.get("text").asText()).isEqualTo("译文：" + a.get("source_text").asText().strip());
        });
        ChatRequest inChinese = teacher.server().log().requests().stream()
                .filter(r -> r.lastUserMessage().equals(chineseQuestions.get(0).get("text").asText())).findFirst().orElseThrow();
        assertThat(inChinese.messages().get(0).content()).contains("Simplified Chinese");

        String zh = file("question_zh.jsonl").toString();
        judge(zh, "stories260K_t.jsonl", "gpt-4_g.jsonl", "review_a.jsonl", "fastchat");
        judge(zh, "stories260K_t.jsonl", "gpt-4_t.jsonl", "review_b.jsonl", "fastchat");
        judge(zh, "stories260K_zh.jsonl", "gpt-4_t.jsonl", "review_c.jsonl", "lenient");
        assertThat(rows(file("review_c.jsonl"))).hasSize(36).allSatisfy(r ->
                assertThat(r.get("metadata").get("model1").asText()).isIn("stories260K-zh", "gpt-4-translated-zh"));

        CliRun report = ok(CliRun.of("eval", "report",
                "--setup", "(a) answers translated, GPT-4 answering in Chinese=" + file("review_a.jsonl"),
                "--setup", "(b) answers translated, GPT-4's translated=" + file("review_b.jsonl"),
                "--setup", "(c) Chinese questions answered in Chinese=" + file("review_c.jsonl"),
                "--questions", zh, "--output", file("figure5.html").toString(), "--json", file("figure5.json").toString()));
        assertThat(report.out()).contains("setups (relative score", "(a) answers translated, GPT-4 answering in Chinese",
                "stories260K-translated-zh", "gpt-4-zh", "(c) Chinese questions answered in Chinese", "stories260K-zh");
        JsonNode setups = Json.MAPPER.readTree(file("figure5.json").toFile()).get("setups");
        // 18 questions in both orders; the judge answers the 2 math questions with a score tuple, which only --parse lenient reads
        assertThat(setups.findValues("judged")).extracting(JsonNode::asInt).containsExactly(32, 32, 36);
        assertThat(report.out()).contains("unparsable reviews (score -1 -1, left out of the sums as FastChat does): questions 68, 69");
        assertThat(Files.readString(file("figure5.html"))).contains("Relative score against the reference, per setup");
    }

    private void judge(String questions, String a, String b, String output, String parse) {
        CliRun judged = ok(teacher.run("eval", "judge", "--questions", questions, "--answers", file(a).toString(),
                "--answers", file(b).toString(), "--output", file(output).toString(), "--swap", "--parse", parse));
        if (parse.equals("lenient")) {
            assertThat(judged.out()).contains("scores read only by the lenient parser (FastChat's reads none): questions 68, 69, "
                    + "68 (B first), 69 (B first)");
        }
    }
}
