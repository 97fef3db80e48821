package org.instruct4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.instruct4j.fetch.Downloader;
import org.instruct4j.fetch.Endpoints;
import org.instruct4j.fetch.Transfer;
import org.instruct4j.fetch.data.DataCatalog;
import org.instruct4j.fetch.data.DataFiles;

/**
 * The real public data tests read, by its data-layer name ({@code path("alpaca/seed_tasks.jsonl")}): from the offline
 * mirror ({@code INSTRUCT4J_DATA_MIRROR}, else {@code shared/data} beside the working copy when it exists, as on the
 * project's build machine), else from the data cache, else downloaded from its public origin and checked against its
 * pinned hash. Test vectors derived from that data (expected token ids) have no public origin: they are kept in this
 * module under {@code derived/} and served by the same names.
 */
public final class SharedData {
    private static final String DERIVED = "derived/";
    private static final DataFiles DATA = new DataFiles(DataCatalog.load(), mirror().orElse(null),
            DataFiles.cacheFromEnvironment(), Endpoints.fromEnvironment(), new Downloader(),
            message -> System.err.println("test data: " + message), Transfer.NONE);

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

    /** A data file or folder by name, for example {@code path("alpaca/seed_tasks.jsonl")}. */
    public static Path path(String name) {
        URL derived = SharedData.class.getResource(DERIVED + name);
        return derived != null ? local(derived, name) : DATA.path(name);
    }

    private static Optional<Path> mirror() {
        Optional<Path> fromEnvironment = DataFiles.mirrorFromEnvironment();
        if (fromEnvironment.isPresent()) {
            return fromEnvironment;
        }
        Path beside = repositoryRoot().resolveSibling("shared").resolve("data");
        return Files.isDirectory(beside) ? Optional.of(beside) : Optional.empty();
    }

    /** A derived test vector as a file: in place when the classes are a directory, else copied out of the jar. */
    private static Path local(URL resource, String name) {
        try {
            if (resource.getProtocol().equals("file")) {
                return Path.of(resource.toURI());
            }
            Path copy = Files.createTempFile("instruct4j-", "-" + Path.of(name).getFileName());
            copy.toFile().deleteOnExit();
            try (InputStream in = resource.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the test vector " + name + ": " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
