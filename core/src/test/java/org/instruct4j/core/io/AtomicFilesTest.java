package org.instruct4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileIsReadableByOthersAndAReplacedOneKeepsItsPermissions() throws IOException {
        Path report = dir.resolve("report.html");
        AtomicFiles.writeString(report, "<p>one</p>");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-r--r--");

        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.writeString(report, "<p>two</p>");
        assertThat(Files.readString(report)).isEqualTo("<p>two</p>");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-rw----");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path data = dir.resolve("data.json");
        AtomicFiles.writeString(data, "[1]");
        assertThatThrownBy(() -> AtomicFiles.write(data, out -> {
            out.write("[2".getBytes());
            throw new IOException("disk full");
        })).hasMessageContaining("disk full");
        assertThat(Files.readString(data)).isEqualTo("[1]");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(data);
        }
    }
}
