package org.instruct4j.model.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Downloads a model repository from the Hugging Face hub (or any server speaking its API, via HF_ENDPOINT).
 * The file list and hashes come from {@code api/models/{repo}/revision/{rev}?blobs=true}; each file goes to
 * {@code name.incomplete} and is resumed with an HTTP Range request after an interruption, then checked
 * against its sha256 (LFS files) or git blob id (small files) before it takes its real name.
 * The token is sent only as an Authorization header and never appears in messages.
 */
public final class HubClient {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private final URI endpoint;
    private final String token;
    private final HttpClient http;

    /** {@code token} may be null for public repositories. */
    public HubClient(URI endpoint, String token) {
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", "") + "/");
        this.token = token == null || token.isBlank() ? null : token;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** HF_ENDPOINT (default huggingface.co) and HF_TOKEN from the environment. */
    public static HubClient fromEnvironment() {
        String endpoint = System.getenv("HF_ENDPOINT");
        return new HubClient(URI.create(endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint),
                System.getenv("HF_TOKEN"));
    }

    /** One file of a repository revision, with the hash it must have. */
    public record RemoteFile(String name, long size, String sha256, String gitBlobId) {}

    /** The hub's two kinds of repository this tool reads: models and datasets. */
    public enum RepoType {
        MODEL("api/models/", ""),
        DATASET("api/datasets/", "datasets/");

        private final String api;
        private final String files;

        RepoType(String api, String files) {
            this.api = api;
            this.files = files;
        }
    }

    /** The files of model repository {@code repo} at {@code revision}. */
    public List<RemoteFile> listFiles(String repo, String revision) {
        return listFiles(RepoType.MODEL, repo, revision);
    }

    /** The files of {@code repo} at {@code revision}. */
    public List<RemoteFile> listFiles(RepoType type, String repo, String revision) {
        URI uri = endpoint.resolve(type.api + repo + "/revision/" + encode(revision) + "?blobs=true");
        HttpResponse<String> response = send(request(uri).build(), HttpResponse.BodyHandlers.ofString(), repo);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("hub metadata for " + repo + "@" + revision + " failed: HTTP "
                    + response.statusCode() + hint(response.statusCode()));
        }
        try {
            JsonNode siblings = new ObjectMapper().readTree(response.body()).path("siblings");
            List<RemoteFile> files = new ArrayList<>();
            for (JsonNode sibling : siblings) {
                JsonNode lfs = sibling.path("lfs");
                files.add(new RemoteFile(sibling.path("rfilename").asText(),
                        lfs.isMissingNode() ? sibling.path("size").asLong(-1) : lfs.path("size").asLong(-1),
                        lfs.isMissingNode() ? null : lfs.path("sha256").asText(null),
                        sibling.path("blobId").asText(null)));
            }
            return files;
        } catch (IOException e) {
            throw new IllegalStateException("hub metadata for " + repo + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Downloads every file of model repository {@code repo} at {@code revision} into {@code dir}, reporting each file name. */
    public void download(String repo, String revision, Path dir, Consumer<String> progress) {
        download(RepoType.MODEL, repo, revision, dir, name -> true, progress);
    }

    /**
     * Downloads the files of {@code repo} at {@code revision} whose names {@code wanted} accepts into {@code dir}.
     * Complete files that match the hub's hash are kept; partial ones resume; every file is verified.
     */
    public void download(RepoType type, String repo, String revision, Path dir, Predicate<String> wanted,
            Consumer<String> progress) {
        try {
            Files.createDirectories(dir);
            List<RemoteFile> files = listFiles(type, repo, revision).stream().filter(f -> wanted.test(f.name())).toList();
            if (files.isEmpty()) {
                throw new IllegalStateException(repo + "@" + revision + " has none of the files asked for");
            }
            for (RemoteFile file : files) {
                Path target = dir.resolve(file.name()).normalize();
                if (!target.startsWith(dir.normalize())) {
                    throw new IllegalStateException("hub listed a file outside the repository: " + file.name());
                }
                if (Files.isRegularFile(target) && Files.size(target) == file.size() && verified(target, file)) {
                    progress.accept(file.name() + " (already complete)");
                    continue;
                }
                progress.accept(file.name());
                downloadFile(type, repo, revision, file, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + repo + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    private void downloadFile(RepoType type, String repo, String revision, RemoteFile file, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".incomplete");
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        URI uri = endpoint.resolve(type.files + repo + "/resolve/" + encode(revision) + "/" + file.name());
        HttpRequest.Builder request = request(uri);
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = send(request.build(), HttpResponse.BodyHandlers.ofInputStream(), repo);
        int status = response.statusCode();
        boolean resumed = status == 206;
        if (status == 416 && have == file.size()) {
            response.body().close(); // the partial file is already whole
        } else if (status != 200 && !resumed) {
            response.body().close();
            throw new IllegalStateException("download of " + repo + "/" + file.name() + " failed: HTTP " + status + hint(status));
        } else {
            try (InputStream in = response.body();
                 OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                in.transferTo(out);
            }
        }
        if (!verified(partial, file)) {
            Files.delete(partial);
            throw new IllegalStateException("download of " + repo + "/" + file.name()
                    + " does not match the hub's hash (deleted; run the command again)");
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** sha256 for LFS files; for small files the git blob id, sha1("blob " + size + "\0" + content). */
    static boolean verified(Path path, RemoteFile file) throws IOException {
        if (file.sha256() != null) {
            return file.sha256().equalsIgnoreCase(digest(path, "SHA-256", null));
        }
        if (file.gitBlobId() != null) {
            String header = "blob " + Files.size(path) + "\0";
            return file.gitBlobId().equalsIgnoreCase(digest(path, "SHA-1", header.getBytes(StandardCharsets.UTF_8)));
        }
        return file.size() < 0 || Files.size(path) == file.size();
    }

    private static String digest(Path path, String algorithm, byte[] prefix) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            if (prefix != null) {
                digest.update(prefix);
            }
            try (InputStream in = Files.newInputStream(path)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String repo) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + request.uri() + " for " + repo + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + repo, e);
        }
    }

    /** Why a request got no answer; Java's HTTP client leaves most of these exceptions without a message. */
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            switch (t) {
                case java.nio.channels.UnresolvedAddressException unresolved -> {
                    return "the host name does not resolve (UnresolvedAddressException)";
                }
                case java.net.UnknownHostException unknown -> {
                    return "the host name does not resolve (" + unknown + ")";
                }
                case java.net.http.HttpConnectTimeoutException timeout -> {
                    return "the connection timed out (" + timeout.getMessage() + ")";
                }
                default -> { }
            }
        }
        if (e instanceof java.net.ConnectException) {
            return "the connection was refused or the host is unreachable (ConnectException; is HF_ENDPOINT right, is the network up?)";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private String hint(int status) {
        return switch (status) {
            case 401, 403 -> token == null ? " (a gated or private repository: set HF_TOKEN)" : " (HF_TOKEN was refused)";
            case 404 -> " (no such repository, revision or file)";
            default -> "";
        };
    }

    private static String encode(String revision) {
        return URLEncoder.encode(revision, StandardCharsets.UTF_8);
    }
}
