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
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.eval.judge.ScoreParser;
import org.instruct4j.testkit.ChatRequest;
import org.instruct4j.testkit.DeterministicResponder;
import org.instruct4j.testkit.Responder;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** eval answer, judge and report through the real command line, against the OpenAI-compatible test teacher.server(). */
class EvalCommandsTest {
    private static final Path QUESTIONS = SharedData.path("fastchat/eval_table/question.jsonl");
    private static final Path ALPACA = SharedData.path("fastchat/eval_table/answer/answer_alpaca-13b.jsonl");
    private static final Path VICUNA = SharedData.path("fastchat/eval_table/answer/answer_vicuna-13b.jsonl");

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeTeacher teacher = new FakeTeacher();

    private static List<JsonNode> rows(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(Json.MAPPER.readTree(line));
        }
        return rows;
    }

    @Test
    void answerWritesFastChatAnswersAndResumesWithoutAskingAgain() throws IOException {
        Path output = dir.resolve("answers.jsonl");
        CliRun first = teacher.run("eval", "answer", "--questions", QUESTIONS.toString(), "--output", output.toString(),
                "--model-id", "my-model:v1", "--model", "gpt-4o-mini");
        assertThat(first.exitCode()).as(first.err()).isZero();

        List<JsonNode> answers = rows(output);
        List<JsonNode> questions = rows(QUESTIONS);
        assertThat(answers).hasSize(80);
        Map<Integer, JsonNode> byQuestion = new HashMap<>();
        answers.forEach(a -> byQuestion.put(a.get("question_id").intValue(), a));
        for (JsonNode question : questions) {
            JsonNode answer = byQuestion.get(question.get("question_id").intValue());
            assertThat(answer.get("question_id").isInt()).isTrue();
            String expected = DeterministicResponder.answer("gpt-4o-mini", List.of(
                    ChatRequest.Message.system("You are a helpful assistant."), ChatRequest.Message.user(question.get("text").asText())));
            assertThat(answer.get("text").asText()).isEqualTo(expected);
            assertThat(answer.get("model_id").asText()).isEqualTo("my-model:v1");
            assertThat(answer.get("answer_id").asText()).matches("[2-9A-HJ-NP-Za-km-z]{22}");
            assertThat(answer.get("metadata").get("temperature").asDouble()).isEqualTo(0.7);
        }
        assertThat(teacher.server().log().requests()).allSatisfy(r -> assertThat(r.maxTokens()).isEqualTo(1024));

        int requests = teacher.server().log().chatRequests();
        CliRun again = teacher.run("eval", "answer", "--questions", QUESTIONS.toString(), "--output", output.toString(),
                "--model-id", "my-model:v1", "--model", "gpt-4o-mini");
        assertThat(again.exitCode()).isZero();
        assertThat(again.err()).contains("0 new rows, 80 already done");
        assertThat(teacher.server().log().chatRequests()).isEqualTo(requests);
        assertThat(rows(output)).hasSize(80);
    }

    /** The 252 user-oriented instructions (instruction + first input), asked with the Alpaca template, then paired with text-davinci-003's answers. */
    @Test
    void userOrientedInstructionsAreAnsweredAndPairedWithDavincisPredictions() throws IOException {
        Path questions = SharedData.path("self_instruct/user_oriented_instructions.jsonl");
        Path output = dir.resolve("student.jsonl");
        CliRun answered = teacher.run("eval", "answer", "--questions", questions.toString(), "--output", output.toString(),
                "--model-id", "llama-gpt4", "--prompt-format", "alpaca");
        assertThat(answered.exitCode()).as(answered.err()).isZero();
        List<JsonNode> instructions = rows(questions);
        ChatRequest firstSeen = teacher.server().log().requests().stream()
                .filter(r -> r.lastUserMessage().contains(instructions.get(0).get("instruction").asText())).findFirst().orElseThrow();
        assertThat(firstSeen.messages()).hasSize(1);
        assertThat(firstSeen.lastUserMessage()).isEqualTo(AlpacaPrompt.render(instructions.get(0).get("instruction").asText(),
                instructions.get(0).get("instances").get(0).get("input").asText()));
        assertThat(rows(output)).allSatisfy(a -> assertThat(a.get("question_id").asText()).startsWith("user_oriented_task_"));

        Path pairs = dir.resolve("pairs.jsonl");
        CliRun paired = CliRun.of("eval", "human", "pairs", "--questions", questions.toString(), "--answers", output.toString(),
                "--answers", SharedData.path("self_instruct/predictions/text-davinci-003_predictions.jsonl").toString(),
                "--output", pairs.toString());
        assertThat(paired.exitCode()).as(paired.err()).isZero();
        List<JsonNode> pairRows = rows(pairs);
        assertThat(pairRows).hasSize(252);
        JsonNode first = pairRows.get(0);
        assertThat(first.get("model_a").asText()).isEqualTo("llama-gpt4");
        assertThat(first.get("model_b").asText()).isEqualTo("text-davinci-003");
        assertThat(first.get("category").asText()).isEqualTo("Grammarly");
        assertThat(first.get("answer_b").asText())
                .isEqualTo(rows(SharedData.path("self_instruct/predictions/text-davinci-003_predictions.jsonl")).get(0).get("response").asText());
    }

    /** A judge that answers like GPT-4 did: scores on the first line, except for math, where it ends with a tuple. */
    private static String judgeReply(ChatRequest request) {
        String prompt = request.lastUserMessage();
        int hash = Math.floorMod(prompt.hashCode(), 100);
        int first = 1 + hash % 10;
        int second = 1 + hash / 10;
        if (prompt.contains("Python tuple")) {
            return "First, I will solve the problem independently.\nThe scores are (" + first + ", " + second + ").";
        }
        return first + " " + second + "\nAssistant 1 and Assistant 2 both answered; explanation follows.";
    }

    @Test
    void judgeWithSwapWritesFastChatReviewsAndReportsBothOrders() throws IOException {
        teacher.server().responder(Responder.withContent(EvalCommandsTest::judgeReply));
        Path output = dir.resolve("reviews.jsonl");
        CliRun judged = teacher.run("eval", "judge", "--questions", QUESTIONS.toString(), "--answers", ALPACA.toString(),
                "--answers", VICUNA.toString(), "--output", output.toString(), "--swap");
        assertThat(judged.exitCode()).as(judged.err()).isZero();

        List<JsonNode> reviews = rows(output);
        assertThat(reviews).hasSize(160);
        double[] sumsAFirst = new double[2];
        int unparsable = 0;
        for (JsonNode review : reviews) {
            assertThat(review.fieldNames()).toIterable().contains("review_id", "question_id", "answer1_id", "answer2_id", "text",
                    "score", "reviewer_id", "metadata");
            double[] parsed = ScoreParser.pair(review.get("text").asText());
            assertThat(review.get("score").get(0).asDouble()).isEqualTo(parsed[0]);
            assertThat(review.get("score").get(1).asDouble()).isEqualTo(parsed[1]);
            boolean swapped = review.get("metadata").get("swapped").asBoolean();
            assertThat(review.get("metadata").get("model1").asText()).isEqualTo(swapped ? "vicuna-13b:20230322-clean-lang" : "alpaca-13b:v1");
            int q = review.get("question_id").asInt();
            if (q >= 68 && q <= 70) {
                assertThat(review.get("score").get(0).asDouble()).isEqualTo(-1);
                assertThat(review.get("reviewer_id").asText()).isEqualTo("gpt-4-0328-math");
                unparsable++;
            } else if (!swapped) {
                sumsAFirst[0] += parsed[0];
                sumsAFirst[1] += parsed[1];
            }
        }
        assertThat(unparsable).isEqualTo(6);
        assertThat(teacher.server().log().requests()).hasSize(160).allSatisfy(r -> {
            assertThat(r.temperature()).isEqualTo(0.2);
            assertThat(r.maxTokens()).isEqualTo(1024);
            assertThat(r.model()).isEqualTo("gpt-4");
            assertThat(r.messages().get(0).content()).isEqualTo("You are a helpful and precise assistant for checking the quality of the answer.");
        });
        String firstAlpaca = rows(ALPACA).get(0).get("text").asText();
        String firstVicuna = rows(VICUNA).get(0).get("text").asText();
        assertThat(teacher.server().log().requests()).anySatisfy(r -> assertThat(r.lastUserMessage()).startsWith(
                "[Question]\nHow can I improve my time management skills?\n\n[The Start of Assistant 1's Answer]\n" + firstVicuna));
        assertThat(teacher.server().log().requests()).anySatisfy(r -> assertThat(r.lastUserMessage()).startsWith(
                "[Question]\nHow can I improve my time management skills?\n\n[The Start of Assistant 1's Answer]\n" + firstAlpaca));

        assertThat(judged.out()).contains("alpaca-13b:v1 (A) vs vicuna-13b:20230322-clean-lang (B)", "A first", "B first", "average",
                "verdict flipped", "unparsable reviews", "68, 69, 70, 68 (B first), 69 (B first), 70 (B first)");
        assertThat(judged.out()).contains(String.format(java.util.Locale.ROOT, "%.1f %9.1f", sumsAFirst[0], sumsAFirst[1]));

        int requests = teacher.server().log().chatRequests();
        CliRun again = teacher.run("eval", "judge", "--questions", QUESTIONS.toString(), "--answers", ALPACA.toString(),
                "--answers", VICUNA.toString(), "--output", output.toString(), "--swap");
        assertThat(again.exitCode()).isZero();
        assertThat(teacher.server().log().chatRequests()).isEqualTo(requests);
    }

    @Test
    void singleModeGradesEveryAnswerWithMtBenchsPrompt() throws IOException {
        teacher.server().responder(Responder.withContent(r -> r.lastUserMessage().contains("[[rating]]")
                ? "The answer is fine.\n\nRating: [[" + (1 + Math.floorMod(r.lastUserMessage().hashCode(), 10)) + "]]" : "?"));
        Path output = dir.resolve("single.jsonl");
        CliRun judged = teacher.run("eval", "judge", "--mode", "single", "--questions", QUESTIONS.toString(), "--answers", ALPACA.toString(),
                "--answers", VICUNA.toString(), "--output", output.toString(), "--model", "gpt-4o",
                "--reference-answers", SharedData.path("fastchat/llm_judge/vicuna_bench/reference_answer/gpt-4.jsonl").toString());
        assertThat(judged.exitCode()).as(judged.err()).isZero();
        List<JsonNode> judgments = rows(output);
        assertThat(judgments).hasSize(160).allSatisfy(j -> {
            assertThat(j.get("judge").get(0).asText()).isEqualTo("gpt-4o");
            int q = j.get("question_id").asInt();
            assertThat(j.get("judge").get(1).asText()).isEqualTo(q >= 61 && q <= 70 ? "single-math-v1" : "single-v1");
            assertThat(j.get("score").asDouble()).isEqualTo(ScoreParser.rating(j.get("judgment").asText())).isBetween(1.0, 10.0);
            assertThat(j.get("turn").asInt()).isEqualTo(1);
        });
        assertThat(teacher.server().log().requests()).allSatisfy(r -> {
            assertThat(r.temperature()).isZero();
            assertThat(r.maxTokens()).isEqualTo(2048);
            assertThat(r.messages().get(0).content()).isEqualTo("You are a helpful assistant.");
        });
        assertThat(judged.out()).contains("Mode: single", "########## First turn ##########", "alpaca-13b:v1",
                "vicuna-13b:20230322-clean-lang").doesNotContain("Second turn");
    }

    /** FastChat's real GPT-4 reviews: the sums the Vicuna blog reported (LLaMA-13B 513 : Vicuna 694, Alpaca-13B 583 : 704). */
    @Test
    void reportOnFastChatsRealReviews() throws IOException {
        Path review = SharedData.path("fastchat/eval_table/review");
        Path html = dir.resolve("out/report.html");
        Path json = dir.resolve("out/summary.json");
        CliRun report = CliRun.of("eval", "report",
                "--reviews", review.resolve("review_llama-13b_vicuna-13b-20230322-clean-lang.jsonl").toString(),
                "--reviews", review.resolve("review_alpaca-13b_vicuna-13b-20230322-clean-lang.jsonl").toString(),
                "--reviews", review.resolve("review_llama_alpaca-13b.jsonl").toString(),
                "--questions", QUESTIONS.toString(), "--answers", SharedData.path("fastchat/eval_table/answer/answer_llama-13b.jsonl").toString(),
                "--answers", ALPACA.toString(), "--output", html.toString(), "--json", json.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("llama-13b (A) vs vicuna-13b-20230322-clean-lang (B)", "513.0", "694.0", "73.9%",
                "583.0", "704.0", "82.8%", "llama-13b:v1 (A) vs alpaca-13b:v1 (B)", "525.0", "605.0");
        JsonNode summary = Json.MAPPER.readTree(json.toFile());
        assertThat(summary.get("comparisons")).hasSize(3);
        assertThat(summary.get("comparisons").get(0).get("A_first").get("sum_a").asDouble()).isEqualTo(513.0);
        assertThat(summary.get("comparisons").get(0).get("categories").get("math").get("sum_b").asDouble()).isEqualTo(11.0);
        assertThat(Files.readString(html)).contains("Relative score", "echarts");
        assertThat(html.resolveSibling("report-1.png")).isNotEmptyFile();
    }

    @Test
    void rougeByLengthPrintsTheTableAndWritesThePapersShape() throws IOException {
        Path result = dir.resolve("rouge.json");
        Path scores = dir.resolve("scores.jsonl");
        CliRun rouge = CliRun.of("eval", "rouge", "--input", SharedData.path("self_instruct/predictions/text-davinci-003_predictions.jsonl").toString(),
                "--prediction-field", "response", "--reference-field", "target", "--by-length", "--stemmer",
                "--output", result.toString(), "--scores", scores.toString());
        assertThat(rouge.exitCode()).as(rouge.err()).isZero();
        assertThat(rouge.out()).contains("Length", "0-2", "3-5", "6-10", "10-", "ALL", "text-davinci-003_predictions");
        JsonNode json = Json.MAPPER.readTree(result.toFile());
        assertThat(json).hasSize(5);
        assertThat(json.get(4).get("NumInstance").asInt()).isEqualTo(252);
        assertThat(rows(scores)).hasSize(252);
    }
}
