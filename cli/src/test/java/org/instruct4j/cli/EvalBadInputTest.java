package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the eval commands: file:line:field, exit 2, no request made, nothing written. */
class EvalBadInputTest {
    private static final Path QUESTIONS = SharedData.path("fastchat/eval_table/question.jsonl");
    private static final Path ALPACA = SharedData.path("fastchat/eval_table/answer/answer_alpaca-13b.jsonl");

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeTeacher teacher = new FakeTeacher();

    private void assertRejected(CliRun run, String expectedError) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("instruct4j: error: " + expectedError);
        assertThat(teacher.server().log().totalRequests()).isZero();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void rougeRowWithoutReference() throws IOException {
        Path input = Files.writeString(dir.resolve("rows.jsonl"), "{\"output\":\"a\",\"label\":\"b\"}\n{\"output\":\"a\",\"label\":7}\n");
        assertRejected(CliRun.of("eval", "rouge", "--input", input.toString(), "--output", dir.resolve("out/r.json").toString()),
                input + ":2: field \"label\": expected a string, got a number");
        assertRejected(CliRun.of("eval", "rouge", "--input", input.toString(), "--tokenizer", "jieba"), "unknown tokenizer 'jieba'");
    }

    @Test
    void answerWithAQuestionWithoutText() throws IOException {
        Path questions = Files.writeString(dir.resolve("q.jsonl"), "{\"question_id\":1,\"text\":\"Hi?\"}\n{\"question_id\":2,\"category\":\"x\"}\n");
        assertRejected(teacher.run("eval", "answer", "--questions", questions.toString(), "--output", dir.resolve("out/a.jsonl").toString(),
                "--model-id", "m"),
                questions + ":2: not a question: expected a field \"text\"");
        Path duplicate = Files.writeString(dir.resolve("d.jsonl"), "{\"question_id\":1,\"text\":\"a\"}\n{\"question_id\":1,\"text\":\"b\"}\n");
        assertRejected(teacher.run("eval", "answer", "--questions", duplicate.toString(), "--output", dir.resolve("out/a.jsonl").toString(),
                "--model-id", "m"),
                duplicate + ":2: field \"question_id\": duplicate question id 1");
    }

    @Test
    void judgeWithAnAnswerMissingOrMalformed() throws IOException {
        Path partial = Files.writeString(dir.resolve("partial.jsonl"), Files.readAllLines(ALPACA).subList(0, 79).stream()
                .reduce("", (a, b) -> a + b + "\n"));
        assertRejected(teacher.run("eval", "judge", "--questions", QUESTIONS.toString(), "--answers", ALPACA.toString(),
                "--answers", partial.toString(), "--output", dir.resolve("out/r.jsonl").toString()),
                partial + ": field \"question_id\": no answer to question 80");
        Path malformed = Files.writeString(dir.resolve("bad.jsonl"), "{\"question_id\":1,\"text\":\"x\",\"model_id\":\"m\"}\n"
                + "{\"question_id\":2,\"text\":[\"x\"],\"model_id\":\"m\"}\n");
        assertRejected(teacher.run("eval", "judge", "--questions", QUESTIONS.toString(), "--answers", ALPACA.toString(),
                "--answers", malformed.toString(), "--output", dir.resolve("out/r.jsonl").toString()),
                malformed + ":2: field \"text\": expected a string, got an array");
        assertRejected(teacher.run("eval", "judge", "--questions", QUESTIONS.toString(), "--answers", ALPACA.toString(),
                "--output", dir.resolve("out/r.jsonl").toString()),
                "--protocol vicuna needs exactly two --answers files, got 1");
    }

    @Test
    void reportWithABadReview() throws IOException {
        Path reviews = Files.writeString(dir.resolve("r.jsonl"), "{\"question_id\":1,\"text\":\"8 9\",\"score\":[8.0]}\n");
        assertRejected(CliRun.of("eval", "report", "--reviews", reviews.toString(), "--output", dir.resolve("out/report.html").toString()),
                reviews + ":1: field \"score\": expected two scores [s1, s2], got 1");
    }

    @Test
    void humanPairsWithPredictionsThatDoNotMatchTheQuestions() throws IOException {
        Path predictions = SharedData.path("self_instruct/predictions/text-davinci-003_predictions.jsonl");
        assertRejected(CliRun.of("eval", "human", "pairs", "--questions", QUESTIONS.toString(), "--answers", ALPACA.toString(),
                "--answers", predictions.toString(), "--output", dir.resolve("out/p.jsonl").toString()),
                predictions + ":1: field \"instruction\": is not the instruction of question 1");
    }
}
