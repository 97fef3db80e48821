package org.instruct4j.teacher.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks that the API key was written nowhere: every file under a directory, byte by byte. */
public final class NoSecrets {
    private NoSecrets() {}

    /** Fails when any file under {@code directory} holds {@link FakeTeacher#API_KEY}; returns how many files were read. */
    public static int assertKeyNowhereIn(Path directory) {
        byte[] key = FakeTeacher.API_KEY.getBytes(StandardCharsets.UTF_8);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(files).as("files written under %s", directory).isNotEmpty();
        for (Path file : files) {
            assertThat(indexOf(read(file), key)).as("the API key in %s", file).isEqualTo(-1);
        }
        return files.size();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
