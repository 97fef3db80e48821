package org.instruct4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks that the tests' API key was written nowhere under a directory (outputs, failures, metadata, staging). */
public final class NoSecrets {
    private NoSecrets() {}

    public static void assertKeyNowhereIn(Path directory) {
        String key = SparkCli.apiKey();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            try {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as("%s", file).doesNotContain(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
