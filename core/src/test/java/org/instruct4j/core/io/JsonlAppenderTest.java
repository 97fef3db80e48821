package org.instruct4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.instruct4j.testkit.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlAppenderTest {
    @TempDir
    Path dir;

    private static ObjectNode row(String id, String output) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("output", output);
        return node;
    }

    /** A full disk is a clear error, and the line it cut is taken back, so the next append starts a whole line. */
    @Test
    void aFullDiskLeavesNoTornLineAndTheFileGoesOnOnceThereIsSpace() throws IOException {
        Optional<Tmpfs> mount = Tmpfs.mount(dir.resolve("small"), "size=64k");
        assumeTrue(mount.isPresent(), "mounting a small tmpfs needs root");
        try (Tmpfs fs = mount.get()) {
            Path file = fs.dir().resolve("o.jsonl");
            Path filler = fs.fill("filler", 6_000);
            try (JsonlAppender out = JsonlAppender.open(file, "id")) {
                out.append(row("1", "x".repeat(1_000)));
                assertThatThrownBy(() -> out.append(row("2", "y".repeat(20_000))))
                        .hasMessage("cannot append to " + file + ": the disk is full (No space left on device); free some space,"
                                + " then run the same command again");
                assertThat(Files.readAllLines(file)).hasSize(1).allMatch(line -> line.startsWith("{\"id\":\"1\""));
                Files.delete(filler);
                out.append(row("2", "y".repeat(20_000)));
            }
            assertThat(Datasets.readAll(file, r -> r.string("id"))).containsExactly("1", "2");
        }
    }

    @Test
    void appendsOneLinePerRowAndRefusesDuplicateIds() throws IOException {
        Path file = dir.resolve("out/o.jsonl");
        try (JsonlAppender out = JsonlAppender.open(file, "id")) {
            assertThat(out.append(row("1", "a"))).isTrue();
            assertThat(out.append(row("2", "b\nwith newline"))).isTrue();
            assertThat(out.append(row("1", "again"))).isFalse();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("{\"id\":\"2\",\"output\":\"b\\nwith newline\"}");
    }

    @Test
    void reopeningLoadsIdsAndCutsATornLastLine() throws IOException {
        Path file = dir.resolve("o.jsonl");
        try (JsonlAppender out = JsonlAppender.open(file, "id")) {
            out.append(row("a", "x"));
            out.append(row("b", "y"));
        }
        Files.write(file, "{\"id\":\"c\",\"outp".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (JsonlAppender out = JsonlAppender.open(file, "id")) {
            assertThat(out.recoveredBytes()).isEqualTo(15);
            assertThat(out.ids()).containsExactlyInAnyOrder("a", "b");
            out.append(row("c", "z"));
        }
        assertThat(Datasets.readAll(file, r -> r.string("id"))).containsExactly("a", "b", "c");
    }

    @Test
    void concurrentAppendsNeverInterleave() throws IOException {
        Path file = dir.resolve("c.jsonl");
        String longText = "x".repeat(10_000);
        try (JsonlAppender out = JsonlAppender.open(file, "id")) {
            IntStream.range(0, 400).parallel().forEach(i -> out.append(row(Integer.toString(i), longText)));
        }
        assertThat(Datasets.readAll(file, r -> r.string("output"))).hasSize(400).allMatch(longText::equals);
    }

    @Test
    void secondWriterOnTheSameFileIsRefused() {
        Path file = dir.resolve("l.jsonl");
        try (JsonlAppender first = JsonlAppender.open(file, "id")) {
            assertThatThrownBy(() -> JsonlAppender.open(file, "id"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("another instruct4j process");
        }
    }

    @Test
    void atomicWriteReplacesWholeFileOrNothing() throws IOException {
        Path file = dir.resolve("a.json");
        AtomicFiles.writeString(file, "old");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).hasMessageContaining("disk full");
        assertThat(Files.readString(file)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
