package org.instruct4j.spark.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.eval.judge.PairwiseJudgeTask;
import org.instruct4j.eval.judge.ScoreParse;
import org.instruct4j.eval.judge.VicunaProtocol;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.spark.OutputRows;
import org.instruct4j.spark.SingleMachine;
import org.instruct4j.spark.SparkCli;
import org.instruct4j.spark.WithFakeTeacher;
import org.instruct4j.teacher.client.SamplingOverrides;
import org.instruct4j.testkit.Reply;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark judge} on FastChat's real Vicuna questions and answers, compared with the single-machine judge. */
class SparkJudgeTest extends WithFakeTeacher {
    private static final Path QUESTIONS = SharedData.path("fastchat/eval_table/question.jsonl");
    private static final Path ALPACA = SharedData.path("fastchat/eval_table/answer/answer_alpaca-13b.jsonl");
    private static final Path VICUNA = SharedData.path("fastchat/eval_table/answer/answer_vicuna-13b.jsonl");

    @TempDir
    Path dir;

    @Test
    void judgesEveryQuestionBothWaysAsTheSingleMachineJudgeDoes() {
        server.responder(request -> Reply.of(request, (request.lastUserMessage().length() % 9 + 1) + " 7\nBoth answers address the question."));
        Path output = dir.resolve("reviews");

        SparkCli run = spark("judge", "--questions", QUESTIONS.toString(), "--answers", ALPACA.toString(),
                "--answers", VICUNA.toString(), "--output", output.toString(), "--limit", "12", "--swap", "--model", "gpt-4");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.err()).contains("judge: 24 new rows");
        assertThat(run.out()).contains("alpaca-13b", "vicuna-13b");
        List<EvalQuestion> all = QuestionFile.read(QUESTIONS);
        var task = new PairwiseJudgeTask(all.subList(0, 12), AnswerFile.read(ALPACA, all), AnswerFile.read(VICUNA, all),
                VicunaProtocol.fastChat(), "gpt-4", new SamplingOverrides(null, null, null), true, ScoreParse.FASTCHAT);
        Map<String, ObjectNode> single = withoutReviewIds(OutputRows.byId(SingleMachine.run(server, task, dir.resolve("single.jsonl"))));
        assertThat(withoutReviewIds(OutputRows.byId(output))).hasSize(24).containsKeys("1", "1#swapped", "12#swapped").isEqualTo(single);
    }

    /** Review ids are random (FastChat's short UUIDs), so they differ between any two runs. */
    private static Map<String, ObjectNode> withoutReviewIds(Map<String, ObjectNode> reviews) {
        Map<String, ObjectNode> stripped = new LinkedHashMap<>();
        reviews.forEach((id, review) -> {
            ObjectNode copy = review.deepCopy();
            assertThat(copy.remove("review_id").asText()).isNotBlank();
            stripped.put(id, copy);
        });
        return stripped;
    }
}
