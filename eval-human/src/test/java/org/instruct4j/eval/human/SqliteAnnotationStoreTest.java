package org.instruct4j.eval.human;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAnnotationStoreTest extends AnnotationStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Database database() {
        return Database.of("sqlite:" + dir.resolve("sub/annotations.db"));
    }

    @Test
    void theTokenItselfIsNowhereInTheDatabaseFiles() throws IOException {
        String token = store.addAnnotator("ann");
        store.signIn(token).orElseThrow();
        try (var files = Files.list(dir.resolve("sub"))) {
            for (Path file : files.toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(token);
            }
        }
        assertThat(Tokens.hash(token)).hasSize(64);
    }

    @Test
    void badDatabaseSpecsAreRefused() {
        assertThatThrownBy(() -> Database.of("mysql://x"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("sqlite:FILE");
        assertThatThrownBy(() -> Database.of("sqlite:"))
                .isInstanceOf(BadInputException.class);
    }
}
