package org.instruct4j.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.instruct4j.fetch.TestHashes.gitBlob;
import static org.instruct4j.fetch.TestHashes.sha256;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a real HTTP server on 127.0.0.1: resume, redirects, hash checks, HTTP errors, broken transfers. */
class DownloaderTest {
    private static final String TOKEN = "hf_secret_download_token";
    private static final byte[] FILE = randomBytes(200_000);

    @TempDir
    Path dir;

    private final FileServer server = new FileServer().file("/data/file.bin", FILE);
    private final Downloader downloader = new Downloader();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void downloadsAFileAndChecksItsSizeAndHashes() throws Exception {
        Path target = dir.resolve("sub/file.bin");
        List<String> events = new ArrayList<>();

        downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE), target, "file.bin", recorder(events));

        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
        assertThat(dir.resolve("sub/file.bin.incomplete")).doesNotExist();
        assertThat(events).first().isEqualTo("started file.bin total 200000 at 0");
        assertThat(events).last().isEqualTo("finished");
        assertThat(events.stream().filter(e -> e.startsWith("advanced")).mapToLong(e -> Long.parseLong(e.substring(9))).sum())
                .isEqualTo(FILE.length);
    }

    @Test
    void aFileAlreadyThereIsNotFetchedAgain() {
        Path target = dir.resolve("file.bin");
        downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE), target, "file.bin", Transfer.NONE);

        downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE), target, "file.bin", Transfer.NONE);

        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aTransferBrokenOffKeepsItsBytesAndTheNextRunResumesWithARange() throws Exception {
        server.breakAfter("/data/file.bin", 70_000);
        Path target = dir.resolve("file.bin");
        Path partial = dir.resolve("file.bin.incomplete");

        assertThatThrownBy(() -> downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE), target,
                "file.bin", Transfer.NONE))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("broke off").hasMessageContaining("run the command again");
        assertThat(target).doesNotExist();
        long kept = Files.size(partial);
        assertThat(kept).isPositive().isLessThan(FILE.length);

        downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE), target, "file.bin", Transfer.NONE);

        assertThat(server.requests().get(1).range()).isEqualTo("bytes=" + kept + "-");
        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
        assertThat(partial).doesNotExist();
    }

    @Test
    void aServerThatIgnoresRangeIsReadFromTheStart() throws Exception {
        server.ignoreRange();
        Files.write(dir.resolve("file.bin.incomplete"), Arrays.copyOf(FILE, 5_000));

        downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE), dir.resolve("file.bin"), "file.bin",
                Transfer.NONE);

        assertThat(server.requests().get(0).range()).isEqualTo("bytes=5000-");
        assertThat(Files.readAllBytes(dir.resolve("file.bin"))).isEqualTo(FILE);
    }

    @Test
    void aCompletePartialFileIsVerifiedWithoutARequest() throws Exception {
        Files.write(dir.resolve("file.bin.incomplete"), FILE);

        downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE), dir.resolve("file.bin"), "file.bin",
                Transfer.NONE);

        assertThat(server.requests()).isEmpty();
        assertThat(Files.readAllBytes(dir.resolve("file.bin"))).isEqualTo(FILE);
    }

    @Test
    void aPartialFileTheServerAlreadyHasWhollyIsCheckedAfterA416() throws Exception {
        Files.write(dir.resolve("file.bin.incomplete"), FILE);

        downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), new ExpectedFile(ExpectedFile.UNKNOWN_SIZE,
                sha256(FILE), null), dir.resolve("file.bin"), "file.bin", Transfer.NONE);

        assertThat(server.requests()).extracting(FileServer.Request::range).containsExactly("bytes=200000-");
        assertThat(Files.readAllBytes(dir.resolve("file.bin"))).isEqualTo(FILE);
    }

    @Test
    void aFileWhoseHashDiffersIsDeletedAndNamesBothHashes() {
        byte[] other = FILE.clone();
        other[123] ^= 1;
        server.file("/data/file.bin", other);
        Path target = dir.resolve("file.bin");

        assertThatThrownBy(() -> downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE), target,
                "file.bin", Transfer.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match its pinned hash").hasMessageContaining("expected " + sha256(FILE))
                .hasMessageContaining(sha256(other));
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("file.bin.incomplete")).doesNotExist();
    }

    @Test
    void aFileOfTheWrongSizeIsRejected() {
        server.file("/data/file.bin", Arrays.copyOf(FILE, 1000));

        assertThatThrownBy(() -> downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), expected(FILE),
                dir.resolve("file.bin"), "file.bin", Transfer.NONE))
                .hasMessageContaining("size 1000 bytes, expected 200000");
    }

    @Test
    void aGitBlobIdAlonePinsAFile() throws Exception {
        ExpectedFile blobOnly = new ExpectedFile(ExpectedFile.UNKNOWN_SIZE, null, gitBlob(FILE));

        downloader.download(Downloader.Source.of(server.uri("/data/file.bin")), blobOnly, dir.resolve("file.bin"), "file.bin",
                Transfer.NONE);

        assertThat(Files.readAllBytes(dir.resolve("file.bin"))).isEqualTo(FILE);
        assertThat(new ExpectedFile(ExpectedFile.UNKNOWN_SIZE, null, gitBlob(new byte[1])).mismatch(dir.resolve("file.bin")))
                .get().asString().startsWith("git blob " + gitBlob(FILE));
    }

    @Test
    void a404IsAClearErrorAndLeavesNothing() {
        assertThatThrownBy(() -> downloader.download(Downloader.Source.of(server.uri("/data/missing.bin")), expected(FILE),
                dir.resolve("missing.bin"), "missing.bin", Transfer.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 404").hasMessageContaining("/data/missing.bin");
        assertThat(dir.resolve("missing.bin")).doesNotExist();
    }

    @Test
    void redirectsAreFollowedAndCredentialsStayWithTheFirstHost() throws Exception {
        try (FileServer cdn = new FileServer().file("/blob/xyz", FILE)) {
            server.redirect("/resolve/file.bin", "/moved/file.bin").redirect("/moved/file.bin", cdn.base() + "/blob/xyz?sig=secret");
            var source = new Downloader.Source(server.uri("/resolve/file.bin"), Map.of("Authorization", "Bearer " + TOKEN));

            downloader.download(source, expected(FILE), dir.resolve("file.bin"), "file.bin", Transfer.NONE);

            assertThat(Files.readAllBytes(dir.resolve("file.bin"))).isEqualTo(FILE);
            assertThat(server.requests()).extracting(FileServer.Request::authorization).containsExactly("Bearer " + TOKEN, "Bearer " + TOKEN);
            assertThat(cdn.requests()).extracting(FileServer.Request::authorization).containsOnlyNulls();
        }
    }

    @Test
    void aRedirectLoopStops() {
        server.redirect("/a", "/b").redirect("/b", "/a");

        assertThatThrownBy(() -> downloader.download(Downloader.Source.of(server.uri("/a")), expected(FILE), dir.resolve("a"), "a",
                Transfer.NONE))
                .hasMessageContaining("redirected more than");
    }

    @Test
    void anUnreachableServerIsAClearErrorWithoutTheQuery() {
        var source = Downloader.Source.of(java.net.URI.create("http://127.0.0.1:1/file.bin?token=" + TOKEN));

        assertThatThrownBy(() -> downloader.download(source, expected(FILE), dir.resolve("file.bin"), "file.bin", Transfer.NONE))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot reach http://127.0.0.1:1/file.bin")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    private static ExpectedFile expected(byte[] content) {
        return new ExpectedFile(content.length, sha256(content), gitBlob(content));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private static Transfer recorder(List<String> events) {
        return new Transfer() {
            @Override
            public void started(String label, long total, long resumedAt) {
                events.add("started " + label + " total " + total + " at " + resumedAt);
            }

            @Override
            public void advanced(long bytes) {
                events.add("advanced " + bytes);
            }

            @Override
            public void finished() {
                events.add("finished");
            }
        };
    }
}
