package org.instruct4j.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.run.WorkItem;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MT-bench judging against what FastChat's own code sends and writes ({@code fastchat/rendered_judgments.jsonl}): every
 * match FastChat makes is made, with the same prompt, the same messages byte for byte, the same sampling, and the same
 * row written from the same judgment.
 */
class MtBenchProtocolTest {
    private static final List<AnswerFile> MODELS = List.of(FastChatRendered.answers("model-x"), FastChatRendered.answers("model-y"));

    @TempDir
    Path dir;

    private static ChatReply reply(String content) {
        return new ChatReply(content, false, "gpt-4", 0, 0);
    }

    private static ObjectNode withoutOurFields(JsonNode row, String... fields) {
        ObjectNode copy = row.deepCopy();
        copy.remove(List.of("tstamp", "category", "id"));
        copy.remove(List.of(fields));
        return copy;
    }

    @Test
    void singleGradingSendsAndWritesWhatFastChatDoes() {
        LlmJudgeProtocol protocol = LlmJudgeProtocol.read(LlmJudgeProtocol.Kind.SINGLE, null, FastChatRendered.references());
        SingleJudgeTask task = new SingleJudgeTask(FastChatRendered.QUESTIONS, MODELS, protocol, "gpt-4",
                LlmJudgeProtocol.FASTCHAT_SAMPLING, ScoreParse.FASTCHAT);
        Map<String, WorkItem<SingleJudgeTask.Graded>> ours = new HashMap<>();
        task.items().forEach(item -> ours.put(item.source().answer().modelId() + "/" + item.source().question().key() + "/"
                + item.source().turn(), item));

        List<JsonNode> expected = FastChatRendered.rows("rendered_judgments.jsonl").stream()
                .filter(r -> r.get("mode").asText().equals("single")).toList();
        assertThat(ours).hasSize(expected.size()).hasSize(20);
        for (JsonNode fastChat : expected) {
            JsonNode result = fastChat.get("result");
            WorkItem<SingleJudgeTask.Graded> item = ours.get(result.get("model").asText() + "/" + result.get("question_id").asText()
                    + "/" + result.get("turn").asText());
            assertThat(FastChatRendered.recorded(item.call(), fastChat.get("calls").get(0))).isEqualTo(fastChat.get("calls").get(0));
            ObjectNode row = task.toRow(item, reply("The answer is adequate.\n\nRating: [[7]]"));
            assertThat(withoutOurFields(row)).isEqualTo(withoutOurFields(result));
        }
    }

    @Test
    void pairwiseJudgingPlaysBothGamesAndWritesWhatFastChatDoes() throws IOException {
        LlmJudgeProtocol protocol = LlmJudgeProtocol.read(LlmJudgeProtocol.Kind.PAIRWISE, null, FastChatRendered.references());
        Path games = dir.resolve("pairs.games.jsonl");
        Path output = dir.resolve("pairs.jsonl");
        PairVerdictTask task = new PairVerdictTask(FastChatRendered.QUESTIONS, MODELS, protocol, "gpt-4",
                LlmJudgeProtocol.FASTCHAT_SAMPLING, games, output);
        Map<String, WorkItem<PairVerdictTask.Game>> ours = new HashMap<>();
        StringBuilder played = new StringBuilder();
        task.items().forEach(item -> {
            ours.put(item.id(), item);
            ObjectNode row = task.toRow(item, reply("Assistant A is better.\n\n[[A]]"));
            row.put("id", item.id());
            played.append(Json.line(row)).append('\n');
        });
        Files.writeString(games, played);
        task.finish();

        List<JsonNode> expected = FastChatRendered.rows("rendered_judgments.jsonl").stream()
                .filter(r -> r.get("mode").asText().equals("pairwise-all")).toList();
        assertThat(ours).hasSize(2 * expected.size()).hasSize(20);
        List<String> written = Files.readAllLines(output);
        assertThat(written).hasSize(expected.size());
        for (JsonNode fastChat : expected) {
            JsonNode result = fastChat.get("result");
            String match = "model-x/model-y/" + result.get("question_id").asText() + "/" + result.get("turn").asText();
            assertThat(FastChatRendered.recorded(ours.get(match + "/g1").call(), fastChat.get("calls").get(0))).isEqualTo(fastChat.get("calls").get(0));
            assertThat(FastChatRendered.recorded(ours.get(match + "/g2").call(), fastChat.get("calls").get(1))).isEqualTo(fastChat.get("calls").get(1));
            JsonNode row = written.stream().map(MtBenchProtocolTest::parse).filter(r -> r.get("question_id").equals(result.get("question_id"))
                    && r.get("turn").equals(result.get("turn"))).findFirst().orElseThrow();
            assertThat(withoutOurFields(row)).isEqualTo(withoutOurFields(result));
        }
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** FastChat's verdict parser: "[[A]]" before "[[B]]" before "[[C]]"; two ratings within 0.1 tie. */
    @Test
    void verdictsAreReadAsFastChatReadsThem() {
        assertThat(ScoreParser.verdict("[[B]] ... or [[A]]", "[[A]]")).isEqualTo("A");
        assertThat(ScoreParser.verdict("Final verdict: [[B]]", "[[A]]")).isEqualTo("B");
        assertThat(ScoreParser.verdict("[[C]]", "[[A]]")).isEqualTo("tie");
        assertThat(ScoreParser.verdict("A is better.", "[[A]]")).isEqualTo("error");
        assertThat(ScoreParser.verdict("[[7.5, 7.45]]", "[[rating_a,rating_b]]")).isEqualTo("tie");
        assertThat(ScoreParser.verdict("scores [3,9]", "[[rating_a,rating_b]]")).isEqualTo("B");
    }

    /** Every MT-bench question is judged on both turns: 160 judgments per model; math, reasoning and coding need references. */
    @Test
    void mtBenchHas160JudgedTurnsAndNeedsTheReferenceAnswers() {
        var questions = QuestionFile.read(SharedData.path("fastchat/llm_judge/mt_bench/question.jsonl"));
        assertThat(questions.stream().mapToInt(q -> LlmJudgeProtocol.judgedTurns(q).size()).sum()).isEqualTo(160);
        var withoutReferences = LlmJudgeProtocol.read(LlmJudgeProtocol.Kind.SINGLE, null, null);
        assertThatThrownBy(() -> withoutReferences.requireReferences(questions)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("question 101 is in category \"reasoning\"").hasMessageContaining("--reference-answers");
        AnswerFile references = AnswerFile.read(SharedData.path("fastchat/llm_judge/mt_bench/reference_answer/gpt-4.jsonl"), questions);
        LlmJudgeProtocol protocol = LlmJudgeProtocol.read(LlmJudgeProtocol.Kind.SINGLE, null, references).requireReferences(questions);
        assertThat(questions.stream().filter(q -> protocol.prompt(q.category(), 2).name().equals("single-math-v1-multi-turn")).count())
                .isEqualTo(30);
    }
}
