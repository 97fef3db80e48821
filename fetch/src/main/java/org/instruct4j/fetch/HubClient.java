package org.instruct4j.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Downloads a model repository from the Hugging Face hub (or any server speaking its API, via HF_ENDPOINT).
 * The file list and hashes come from {@code api/models/{repo}/revision/{rev}?blobs=true}; each file is fetched by the
 * {@link Downloader} (resumable, checked against its sha256 for LFS files or its git blob id for small ones).
 * The token is sent only as an Authorization header and never appears in messages.
 */
public final class HubClient {
    private final URI endpoint;
    private final String token;
    private final HttpClient http;
    private final Downloader downloader = new Downloader();

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
        Endpoints endpoints = Endpoints.fromEnvironment();
        return new HubClient(endpoints.huggingFace(), endpoints.hfToken());
    }

    /** One file of a repository revision, with the hash it must have. */
    public record RemoteFile(String name, long size, String sha256, String gitBlobId) {
        /**
         * What the downloaded file must be: sha256 for LFS files (their blob id is the pointer's, not the content's),
         * the git blob id for small ones.
         */
        public ExpectedFile expected() {
            return sha256 != null ? new ExpectedFile(size, sha256, null) : new ExpectedFile(size, null, gitBlobId);
        }
    }

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
                if (file.expected().matches(target)) {
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

    private void downloadFile(RepoType type, String repo, String revision, RemoteFile file, Path target) {
        URI uri = endpoint.resolve(type.files + repo + "/resolve/" + encode(revision) + "/" + file.name());
        Map<String, String> headers = token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
        downloader.download(new Downloader.Source(uri, headers), file.expected(), target, repo + "/" + file.name(), Transfer.NONE);
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
