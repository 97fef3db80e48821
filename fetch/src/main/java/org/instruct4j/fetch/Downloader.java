package org.instruct4j.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file over HTTP into {@code name.incomplete}, resuming a partial file with a Range request, and gives it
 * its real name only once its size and hashes are the expected ones. Redirects are followed here rather than by the
 * HTTP client, so headers that carry credentials go to the first host only, never to the host a redirect points at
 * (a CDN). A file lock on the partial file keeps two processes from writing it at once. Messages name the URL without
 * its query (signed CDN URLs carry signatures there) and never a header.
 */
public final class Downloader {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final HttpClient http;
    private final Duration timeout;

    public Downloader() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build(),
                Duration.ofMinutes(30));
    }

    /** {@code http} must not follow redirects itself (see the class comment). */
    public Downloader(HttpClient http, Duration timeout) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the downloader follows redirects itself, so headers stay with the first host");
        }
        this.http = http;
        this.timeout = timeout;
    }

    /** Where a file comes from: a URL and the headers (credentials) meant for that URL's host only. */
    public record Source(URI uri, Map<String, String> headers) {
        public Source {
            Objects.requireNonNull(uri);
            headers = Map.copyOf(headers);
        }

        public static Source of(URI uri) {
            return new Source(uri, Map.of());
        }

        /** The URL as messages show it: without its query, where signed URLs keep their signatures. */
        public String shown() {
            return shown(uri);
        }

        static String shown(URI uri) {
            return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        }
    }

    /**
     * Downloads {@code source} to {@code target} unless {@code target} already is the expected file. A failed
     * transfer leaves the partial file to resume from; a file whose hash differs is deleted.
     *
     * @throws UncheckedIOException when the connection fails or breaks off (run again to resume)
     * @throws IllegalStateException for an HTTP error or a file that is not the expected one
     */
    public void download(Source source, ExpectedFile expected, Path target, String label, Transfer transfer) {
        Path partial = target.resolveSibling(target.getFileName() + ".incomplete");
        ReentrantLock lock = IN_THIS_JVM.computeIfAbsent(partial.toAbsolutePath().normalize(), p -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var ignored = channel.lock()) {
                if (expected.matches(target)) {
                    Files.deleteIfExists(partial); // another process finished it while this one waited
                    return;
                }
                fill(channel, source, expected, partial, label, transfer);
                Optional<String> wrong = expected.mismatch(partial);
                if (wrong.isPresent()) {
                    Files.delete(partial);
                    throw new IllegalStateException(label + " from " + source.shown() + " does not match its pinned hash ("
                            + wrong.get() + "); the download was deleted");
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Brings the partial file up to the whole file, resuming where it ends. */
    private void fill(FileChannel channel, Source source, ExpectedFile expected, Path partial, String label, Transfer transfer)
            throws IOException {
        long have = channel.size();
        if (expected.size() != ExpectedFile.UNKNOWN_SIZE && have >= expected.size()) {
            if (have == expected.size() && expected.mismatch(partial).isEmpty()) {
                return;
            }
            channel.truncate(0);
            have = 0;
        }
        HttpResponse<InputStream> response = open(source, have);
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            long start;
            if (status == 206) {
                start = rangeStart(response.headers(), have, source);
                if (start > have) {
                    throw new IllegalStateException(source.shown() + " answered a resume from byte " + have
                            + " with bytes from " + start);
                }
            } else if (status == 200) {
                start = 0;
            } else if (status == 416 && have > 0) {
                return; // the partial file already holds every byte the server has; verification decides
            } else {
                throw new IllegalStateException("download of " + label + " from " + source.shown() + " failed: HTTP " + status
                        + (status == 404 ? " (no such file)" : status == 401 || status == 403 ? " (refused: credentials needed)" : ""));
            }
            channel.truncate(start);
            copy(body, channel, start, label, total(expected, response.headers(), start), source, transfer);
        }
    }

    private static void copy(InputStream body, FileChannel channel, long start, String label, long total, Source source,
            Transfer transfer) {
        transfer.started(label, total, start);
        long position = start;
        try {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
                transfer.advanced(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + label + " from " + source.shown() + " broke off after " + position
                    + " bytes (" + e.getMessage() + "); run the command again to resume", e);
        } finally {
            transfer.finished();
        }
    }

    /** The whole file's size: the expected one, else what this response announces, else -1. */
    private static long total(ExpectedFile expected, HttpHeaders headers, long start) {
        if (expected.size() != ExpectedFile.UNKNOWN_SIZE) {
            return expected.size();
        }
        var length = headers.firstValueAsLong("Content-Length");
        return length.isPresent() ? start + length.getAsLong() : -1;
    }

    private HttpResponse<InputStream> open(Source source, long from) {
        URI uri = source.uri();
        Map<String, String> headers = source.headers();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
            headers.forEach(request::header);
            if (from > 0) {
                request.header("Range", "bytes=" + from + "-");
            }
            HttpResponse<InputStream> response = send(request.build(), source);
            int status = response.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return response;
            }
            closeQuietly(response);
            String location = response.headers().firstValue("Location")
                    .orElseThrow(() -> new IllegalStateException(source.shown() + " redirected (HTTP " + status + ") without a Location"));
            URI next = uri.resolve(location);
            if (!sameOrigin(uri, next)) {
                headers = Map.of();
            }
            uri = next;
        }
        throw new IllegalStateException(source.shown() + " redirected more than " + MAX_REDIRECTS + " times");
    }

    private HttpResponse<InputStream> send(HttpRequest request, Source source) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + Source.shown(request.uri()) + " for " + source.shown() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + source.shown(), e);
        }
    }

    /** Where a partial response starts: its Content-Range, or where it was asked to start when it names none. */
    private static long rangeStart(HttpHeaders headers, long asked, Source source) {
        var header = headers.firstValue("Content-Range");
        if (header.isEmpty()) {
            return asked;
        }
        String range = header.get();
        Matcher m = CONTENT_RANGE.matcher(range);
        if (!m.matches()) {
            throw new IllegalStateException(source.shown() + " sent a partial response with an invalid Content-Range: " + range);
        }
        return Long.parseLong(m.group(1));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
    }

    private static void closeQuietly(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // a redirect's body is not needed; failing to close it loses nothing
        }
    }
}
