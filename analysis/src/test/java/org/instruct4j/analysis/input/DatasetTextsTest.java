package org.instruct4j.analysis.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTextsTest {
    @TempDir
    Path dir;

    @Test
    void alpacaRowsDefaultToTheOutputField() {
        DatasetTexts alpaca = DatasetTexts.read(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), null, null);
        assertThat(alpaca.field()).isEqualTo("output");
        assertThat(alpaca.size()).isEqualTo(5000);
        assertThat(alpaca.texts().get(0)).isEqualTo("No");
        assertThat(alpaca.name()).isEqualTo("alpaca_5000_subset_pr152");
    }

    @Test
    void fastChatAnswersDefaultToTheTextField() {
        DatasetTexts answers = DatasetTexts.read(SharedData.path("fastchat/eval_table/answer/answer_bard.jsonl"), "Bard", null);
        assertThat(answers.field()).isEqualTo("text");
        assertThat(answers.size()).isEqualTo(80);
        assertThat(answers.name()).isEqualTo("Bard");
    }

    @Test
    void anExplicitFieldIsReadFromEveryRow() {
        DatasetTexts instructions = DatasetTexts.read(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), null, "instruction");
        assertThat(instructions.texts().get(1)).isEqualTo("Arrange the following musical notes");
    }

    @Test
    void aMissingFieldNamesFileLineAndField() throws IOException {
        Path file = Files.writeString(dir.resolve("rows.jsonl"), "{\"output\": \"a\"}\n{\"outptu\": \"b\"}\n");
        assertThatThrownBy(() -> DatasetTexts.read(file, null, null))
                .isInstanceOf(BadInputException.class).hasMessage(file + ":2: field \"output\": missing; the row has [outptu]");
        assertThatThrownBy(() -> DatasetTexts.read(file, null, "instruction"))
                .hasMessage(file + ":1: field \"instruction\": missing; the row has [output]");
    }

    @Test
    void rowsWithoutAnyTextFieldAskForField() throws IOException {
        Path file = Files.writeString(dir.resolve("rows.json"), "[{\"question\": \"a\", \"id\": 1}]");
        assertThatThrownBy(() -> DatasetTexts.read(file, null, null))
                .hasMessageStartingWith(file + ":[0] (line 1): field \"output\": missing; the row has [question, id], so pass --field");
    }

    @Test
    void aTextThatIsNotAStringIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("rows.jsonl"), "{\"output\": \"a\"}\n\n{\"output\": null}\n");
        assertThatThrownBy(() -> DatasetTexts.read(file, null, null)).hasMessage(file + ":3: field \"output\": expected a string, got null");
    }

    @Test
    void distinctKeepsFirstOccurrences() throws IOException {
        Path file = Files.writeString(dir.resolve("rows.jsonl"), "{\"output\": \"a\"}\n{\"output\": \"b\"}\n{\"output\": \"a\"}\n");
        assertThat(DatasetTexts.read(file, null, null).distinct().texts()).containsExactly("a", "b");
    }

    @Test
    void datasetsNeedDistinctNames() throws IOException {
        Path a = Files.writeString(dir.resolve("a.jsonl"), "{\"output\": \"x\"}\n");
        Path b = Files.writeString(Files.createDirectory(dir.resolve("sub")).resolve("a.jsonl"), "{\"output\": \"y\"}\n");
        assertThatThrownBy(() -> DatasetTexts.readAll(List.of(a, b), List.of(), null))
                .isInstanceOf(BadInputException.class).hasMessageContaining("two datasets are named \"a\"");
        assertThat(DatasetTexts.readAll(List.of(a, b), List.of("first"), null)).extracting(DatasetTexts::name)
                .containsExactly("first", "a");
        assertThatThrownBy(() -> DatasetTexts.readAll(List.of(a), List.of("x", "y"), null))
                .hasMessage("2 --name values for 1 --input files");
    }
}
