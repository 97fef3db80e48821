package org.instruct4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonFormatsTest {
    @TempDir
    Path dir;

    @Test
    void comparisonV2RoundTrips() throws IOException {
        Path file = Files.writeString(dir.resolve("v2.json"), """
                [{"user_input": "Below is an instruction...", "responses_and_scores": [
                  {"response": "Red, blue, yellow.", "score": 9.0, "source": "gpt4"},
                  {"response": "Red, Yellow, and Green.", "score": 3, "source": "icm-1.3b"}]}]
                """);
        List<ComparisonV2> rows = Datasets.readAll(file, ComparisonV2::fromJson);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).responsesAndScores()).containsExactly(
                new ScoredResponse("Red, blue, yellow.", 9.0, "gpt4"), new ScoredResponse("Red, Yellow, and Green.", 3.0, "icm-1.3b"));
        assertThat(Json.MAPPER.valueToTree(rows.get(0).toJson()).toString()).contains("\"source\":\"icm-1.3b\"");
    }

    @Test
    void nestedFieldErrorsNameThePath() throws IOException {
        Path file = Files.writeString(dir.resolve("v2.jsonl"),
                "{\"user_input\": \"x\", \"responses_and_scores\": [{\"response\": \"a\", \"score\": 1, \"source\": \"s\"}, "
                        + "{\"response\": \"b\", \"score\": \"high\", \"source\": \"s\"}]}\n");
        assertThatThrownBy(() -> Datasets.validate(file, ComparisonV2::fromJson))
                .isInstanceOf(BadInputException.class)
                .hasMessage(file + ":1: field \"responses_and_scores[1].score\": expected a number, got a string");
    }

    @Test
    void emptyResponseListIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("e.jsonl"), "{\"user_input\": \"x\", \"responses_and_scores\": []}\n");
        assertThatThrownBy(() -> Datasets.validate(file, ComparisonV2::fromJson))
                .hasMessage(file + ":1: field \"responses_and_scores\": expected a non-empty array, got []");
    }

    @Test
    void comparisonV1() throws IOException {
        Path file = Files.writeString(dir.resolve("v1.jsonl"),
                "{\"user_input\": \"q\", \"completion_a\": \"good\", \"completion_b\": \"bad\"}\n{\"user_input\": \"q\", \"completion_a\": \"good\"}\n");
        assertThatThrownBy(() -> Datasets.validate(file, ComparisonV1::fromJson)).hasMessage(file + ":2: field \"completion_b\": missing");
    }

    @Test
    void unnaturalCoreDataAndAnswers() throws IOException {
        Path core = Files.writeString(dir.resolve("core_data.jsonl"), """
                {"instruction": "Reverse the words.", "instances": [{"instruction_with_input": "Reverse the words.\\nWords: a b", "input": "Words: a b", "constraints": "None.", "output": "b a"}]}
                """);
        UnnaturalTask task = Datasets.readAll(core, UnnaturalTask::fromJson).get(0);
        assertThat(task.id()).isEqualTo("0");
        assertThat(task.instances()).containsExactly(new UnnaturalTask.Instance("Words: a b", "Reverse the words.\nWords: a b", "None.", "b a"));
        Path answers = Files.writeString(dir.resolve("answers.json"),
                "[{\"instruction\": \"i\", \"input\": \"in\", \"output\": \"o\", \"label\": \"l\"}, {\"instruction\": \"i\", \"input\": \"in\", \"output\": \"o\"}]");
        assertThatThrownBy(() -> Datasets.validate(answers, UnnaturalAnswer::fromJson)).hasMessage(answers + ":[1] (line 1): field \"label\": missing");
    }
}
