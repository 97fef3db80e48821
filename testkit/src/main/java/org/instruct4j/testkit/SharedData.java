package org.instruct4j.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the real public data in {@code ../shared/data} beside the repository, whatever module
 * directory a test runs in. Tests read it in place; it is never copied into the repository.
 */
public final class SharedData {
    private SharedData() {}

    /** The repository root: the nearest directory upwards that holds {@code mvnw}. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the instruct4j repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** A file under {@code ../shared/data}, for example {@code path("alpaca/seed_tasks.jsonl")}. */
    public static Path path(String relative) {
        Path file = repositoryRoot().resolveSibling("shared").resolve("data").resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("shared data file missing: " + file);
        }
        return file;
    }
}
