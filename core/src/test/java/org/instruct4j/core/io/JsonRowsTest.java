package org.instruct4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.data.Instruction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonRowsTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsJsonArrayWithIndexAndLine() throws IOException {
        Path file = write("a.json", "[\n  {\"instruction\": \"a\", \"input\": \"\", \"output\": \"x\"},\n  {\"instruction\": \"b\", \"input\": \"i\", \"output\": \"y\"}\n]\n");
        List<AlpacaExample> rows = Datasets.readAll(file, AlpacaExample::fromJson);
        assertThat(rows).containsExactly(new AlpacaExample("a", "", "x"), new AlpacaExample("b", "i", "y"));
    }

    @Test
    void readsJsonLinesSkippingBlankLines() throws IOException {
        Path file = write("a.jsonl", "{\"instruction\": \"a\"}\n\n{\"instruction\": \"b\", \"id\": \"q7\"}\n");
        List<Instruction> rows = Datasets.readAll(file, Instruction::fromJson);
        assertThat(rows).containsExactly(new Instruction("0", "a", ""), new Instruction("q7", "b", ""));
    }

    @Test
    void invalidJsonInJsonLinesNamesFileAndLine() throws IOException {
        Path file = write("bad.jsonl", "{\"instruction\": \"a\"}\n{\"instruction\": \"b\"\n");
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(file + ":2: invalid JSON");
    }

    @Test
    void invalidJsonInArrayNamesIndexAndLine() throws IOException {
        Path file = write("bad.json", "[\n{\"instruction\": \"a\"},\n{\"instruction\": \"b\",,}\n]");
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(file + ":[1] (line 3): invalid JSON");
    }

    @Test
    void missingFieldNamesField() throws IOException {
        Path file = write("m.jsonl", "{\"instruction\": \"a\", \"output\": \"o\"}\n{\"input\": \"b\", \"output\": \"o\"}\n");
        assertThatThrownBy(() -> Datasets.validate(file, AlpacaExample::fromJson))
                .isInstanceOf(BadInputException.class)
                .hasMessage(file + ":2: field \"instruction\": missing")
                .extracting(e -> ((BadInputException) e).field()).isEqualTo("instruction");
    }

    @Test
    void wronglyTypedFieldNamesTypes() throws IOException {
        Path file = write("t.json", "[{\"instruction\": \"a\", \"input\": 3, \"output\": \"o\"}]");
        assertThatThrownBy(() -> Datasets.validate(file, AlpacaExample::fromJson))
                .hasMessage(file + ":[0] (line 1): field \"input\": expected a string, got a number");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = write("e.jsonl", "");
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson))
                .isInstanceOf(BadInputException.class).hasMessage(file + ": the file is empty (no rows)");
        Path blank = write("b.jsonl", "\n  \n");
        assertThatThrownBy(() -> Datasets.validate(blank, Instruction::fromJson)).hasMessageContaining("empty");
    }

    @Test
    void byteOrderMarkIsRejected() throws IOException {
        Path file = dir.resolve("bom.jsonl");
        Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"instruction\": \"a\"}\n".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith(file + ":1: the file starts with a UTF-8 byte-order mark");
    }

    @Test
    void crlfLineEndingsAreRejectedInBothLayouts() throws IOException {
        Path lines = write("crlf.jsonl", "{\"instruction\": \"a\"}\n{\"instruction\": \"b\"}\r\n");
        assertThatThrownBy(() -> Datasets.validate(lines, Instruction::fromJson))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith(lines + ":2: CRLF");
        Path array = write("crlf.json", "[\n{\"instruction\": \"a\"},\r\n{\"instruction\": \"b\"}]");
        assertThatThrownBy(() -> Datasets.validate(array, Instruction::fromJson))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith(array + ":2: CRLF");
    }

    @Test
    void rowThatIsNotAnObjectIsRejected() throws IOException {
        Path file = write("n.json", "[{\"instruction\": \"a\"}, [1, 2]]");
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson))
                .hasMessage(file + ":[1] (line 1): expected a JSON object, got an array");
    }

    @Test
    void truncatedArrayIsRejected() throws IOException {
        Path file = write("cut.json", "[{\"instruction\": \"a\"}, {\"instruction\": \"b\"}");
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson)).isInstanceOf(BadInputException.class);
    }

    @Test
    void invalidUtf8IsRejectedWithLine() throws IOException {
        Path file = dir.resolve("u.jsonl");
        Files.write(file, concat("{\"instruction\": \"a\"}\n{\"instruction\": \"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28, '"', '}', '\n'}));
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson)).hasMessageStartingWith(file + ":2: not valid UTF-8");
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("nope.json");
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson)).hasMessage(file + ": no such file");
    }

    @Test
    void duplicateKeysAreRejected() throws IOException {
        Path file = write("d.jsonl", "{\"instruction\": \"a\", \"instruction\": \"b\"}\n");
        assertThatThrownBy(() -> Datasets.validate(file, Instruction::fromJson)).hasMessageContaining("Duplicate field 'instruction'");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
