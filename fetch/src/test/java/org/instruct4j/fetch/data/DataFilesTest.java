package org.instruct4j.fetch.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.instruct4j.fetch.TestHashes.gitBlob;
import static org.instruct4j.fetch.TestHashes.sha256;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.fetch.Downloader;
import org.instruct4j.fetch.Endpoints;
import org.instruct4j.fetch.FileServer;
import org.instruct4j.fetch.Transfer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data layer: mirror, then cache, then the origins (a real HTTP server standing in for GitHub and the hub). */
class DataFilesTest {
    private static final String TOKEN = "hf_data_token_777";
    private static final byte[] ONE = "first file\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TWO = "second file, a little longer\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BIG = "only on the hub\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final FileServer server = new FileServer()
            .file("/acme/data/c0ffee/one.txt", ONE)
            .file("/acme/data/c0ffee/sub/two.txt", TWO)
            .file("/datasets/acme/big/resolve/main/big.bin", BIG);
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aMirrorCopyIsUsedInPlace() throws Exception {
        Path mirror = mirror("a/one.txt", ONE);

        Path path = files(mirror).path("a/one.txt");

        assertThat(path).isEqualTo(mirror.resolve("a/one.txt"));
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aFileInNeitherMirrorNorCacheIsDownloadedIntoTheCacheOnceAndItsLicenceShown() throws Exception {
        Path path = files(null).path("a/one.txt");

        assertThat(path).isEqualTo(dir.resolve("cache/a/one.txt"));
        assertThat(Files.readAllBytes(path)).isEqualTo(ONE);
        assertThat(log).singleElement().asString().contains("fetching a/one.txt from " + server.base() + "/acme/data/c0ffee/one.txt")
                .contains("Test Licence (look, do not touch");

        assertThat(files(null).path("a/one.txt")).isEqualTo(path);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aDamagedCacheCopyIsFetchedAgain() throws Exception {
        Path path = files(null).path("a/one.txt");
        Files.writeString(path, "tampered\n");

        files(null).path("a/one.txt");

        assertThat(Files.readAllBytes(path)).isEqualTo(ONE);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aMirrorCopyThatDiffersIsAnError() throws Exception {
        Path mirror = mirror("a/one.txt", "not the file\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> files(mirror).path("a/one.txt"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(mirror.resolve("a/one.txt").toString())
                .hasMessageContaining("is not the pinned a/one.txt");
    }

    @Test
    void aFolderNameGivesTheMirrorsFolderWhenItHasEveryFile() throws Exception {
        Path mirror = mirror("a/one.txt", ONE);
        Files.createDirectories(mirror.resolve("a/sub"));
        Files.write(mirror.resolve("a/sub/two.txt"), TWO);

        assertThat(files(mirror).path("a")).isEqualTo(mirror.resolve("a"));
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aFolderTheMirrorHoldsInPartIsCompletedInTheCache() throws Exception {
        Path mirror = mirror("a/one.txt", ONE);

        Path folder = files(mirror).path("a");

        assertThat(folder).isEqualTo(dir.resolve("cache/a"));
        assertThat(Files.readAllBytes(folder.resolve("one.txt"))).isEqualTo(ONE);
        assertThat(Files.readAllBytes(folder.resolve("sub/two.txt"))).isEqualTo(TWO);
        assertThat(server.requests()).extracting(FileServer.Request::path).containsExactly("/acme/data/c0ffee/sub/two.txt");
    }

    @Test
    void theNextOriginIsTriedAndOnlyTheHubGetsTheToken() throws Exception {
        Path path = files(null).path("b/big.bin");

        assertThat(Files.readAllBytes(path)).isEqualTo(BIG);
        assertThat(server.requests()).extracting(FileServer.Request::path)
                .containsExactly("/acme/data/c0ffee/big.bin", "/datasets/acme/big/resolve/main/big.bin");
        assertThat(server.requests()).extracting(FileServer.Request::authorization).containsExactly(null, "Bearer " + TOKEN);
        assertThat(log).hasSize(2);
    }

    @Test
    void whenEveryOriginFailsTheErrorSaysWhyForEach() {
        server.file("/datasets/acme/big/resolve/main/big.bin", ONE);

        assertThatThrownBy(() -> files(null).path("b/big.bin"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot fetch b/big.bin")
                .hasMessageContaining("HTTP 404").hasMessageContaining("does not match its pinned hash")
                .hasMessageContaining("INSTRUCT4J_DATA_MIRROR")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(dir.resolve("cache/b/big.bin")).doesNotExist();
    }

    @Test
    void placesAndNames() throws Exception {
        Path mirror = mirror("a/one.txt", ONE);
        DataFiles files = files(mirror);
        files.path("b/big.bin");

        assertThat(files.catalog().select("all")).extracting(DataFile::name).containsExactly("a/one.txt", "a/sub/two.txt", "b/big.bin");
        assertThat(files.catalog().select("a/")).hasSize(2);
        assertThat(files.catalog().select("a/sub")).extracting(DataFile::name).containsExactly("a/sub/two.txt");
        assertThat(files.catalog().files()).extracting(files::place).containsExactly(DataFiles.Place.MIRROR,
                DataFiles.Place.NOT_HERE, DataFiles.Place.CACHE);
        assertThatThrownBy(() -> files.path("a/on")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown data name 'a/on'").hasMessageContaining("data list");
    }

    private DataFiles files(Path mirror) throws Exception {
        Endpoints endpoints = new Endpoints(URI.create(server.base()), URI.create(server.base() + "/"), TOKEN);
        return new DataFiles(catalog(), mirror, dir.resolve("cache"), endpoints, new Downloader(), log::add, Transfer.NONE);
    }

    private Path mirror(String name, byte[] content) throws Exception {
        Path mirror = dir.resolve("mirror");
        Files.createDirectories(mirror.resolve(name).getParent());
        Files.write(mirror.resolve(name), content);
        return mirror;
    }

    private static DataCatalog catalog() throws Exception {
        String json = """
                {"licences": {"test": {"name": "Test Licence", "terms": "look, do not touch", "url": "https://example.org/l"}},
                 "files": [
                  {"name": "a/one.txt", "size": %d, "sha256": "%s", "licence": "test", "origins": ["github:acme/data@c0ffee:one.txt"]},
                  {"name": "a/sub/two.txt", "git_blob": "%s", "licence": "test", "origins": ["github:acme/data@c0ffee:sub/two.txt"]},
                  {"name": "b/big.bin", "size": %d, "sha256": "%s", "licence": "test",
                   "origins": ["github:acme/data@c0ffee:big.bin", "hf-dataset:acme/big@main:big.bin"]}]}
                """.formatted(ONE.length, sha256(ONE), gitBlob(TWO), BIG.length, sha256(BIG));
        return DataCatalog.parse(new ObjectMapper().readTree(json));
    }
}
