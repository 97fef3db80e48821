package org.instruct4j.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HubClient against a real HTTP server on 127.0.0.1 that speaks the hub's metadata and resolve API. */
class HubClientTest {
    private static final String TOKEN = "hf_secret_test_token_123";
    private static final String REPO = "acme/tiny-llama";

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private String metadata;

    @BeforeEach
    void start() throws Exception {
        byte[] weights = new byte[300_000];
        new Random(1).nextBytes(weights);
        files.put("model.safetensors", weights);
        files.put("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8));
        served.putAll(files);
        metadata = """
                {"id":"%s","sha":"abc","siblings":[
                  {"rfilename":"config.json","size":%d,"blobId":"%s"},
                  {"rfilename":"model.safetensors","size":%d,"blobId":"ignored","lfs":{"sha256":"%s","size":%d}}]}
                """.formatted(REPO, files.get("config.json").length, gitBlobId(files.get("config.json")),
                weights.length, sha256(weights), weights.length);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(path + (range == null ? "" : " " + range));
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        byte[] body;
        int status = 200;
        if (path.equals("/api/models/" + REPO + "/revision/main") || path.equals("/api/datasets/" + REPO + "/revision/main")) {
            body = metadata.getBytes(StandardCharsets.UTF_8);
        } else if (path.startsWith("/datasets/" + REPO + "/resolve/main/") && served.containsKey(path.substring(path.lastIndexOf('/') + 1))) {
            body = served.get(path.substring(path.lastIndexOf('/') + 1));
        } else if (path.startsWith("/" + REPO + "/resolve/main/") && served.containsKey(path.substring(path.lastIndexOf('/') + 1))) {
            body = served.get(path.substring(path.lastIndexOf('/') + 1));
            if (range != null) {
                int from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
                body = java.util.Arrays.copyOfRange(body, from, body.length);
                status = 206;
            }
        } else {
            body = "not found".getBytes(StandardCharsets.UTF_8);
            status = 404;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private HubClient client(String token) {
        return new HubClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), token);
    }

    @Test
    void downloadsEveryFileWithTheTokenAndVerifiesHashes() throws Exception {
        List<String> progress = new ArrayList<>();

        client(TOKEN).download(REPO, "main", dir, progress::add);

        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(files.get("model.safetensors"));
        assertThat(Files.readAllBytes(dir.resolve("config.json"))).isEqualTo(files.get("config.json"));
        assertThat(authorizations).containsOnly("Bearer " + TOKEN);
        assertThat(progress).containsExactly("config.json", "model.safetensors");
        assertThat(dir.resolve("model.safetensors.incomplete")).doesNotExist();

        client(TOKEN).download(REPO, "main", dir, progress::add);
        assertThat(progress).contains("model.safetensors (already complete)");
    }

    @Test
    void resumesAnInterruptedDownloadWithARangeRequest() throws Exception {
        byte[] weights = files.get("model.safetensors");
        Files.write(dir.resolve("model.safetensors.incomplete"), java.util.Arrays.copyOf(weights, 123_456));

        client(null).download(REPO, "main", dir, name -> { });

        assertThat(requests).contains("/" + REPO + "/resolve/main/model.safetensors bytes=123456-");
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(authorizations).containsOnlyNulls();
    }

    @Test
    void rejectsAFileWhoseHashDiffersWithoutLeakingTheToken() {
        byte[] corrupted = files.get("model.safetensors").clone();
        corrupted[1000] ^= 1;
        served.put("model.safetensors", corrupted);

        assertThatThrownBy(() -> client(TOKEN).download(REPO, "main", dir, name -> { }))
                .hasMessageContaining("model.safetensors").hasMessageContaining("hash")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(dir.resolve("model.safetensors")).doesNotExist();
        assertThat(dir.resolve("model.safetensors.incomplete")).doesNotExist();
    }

    @Test
    void anUnreachableEndpointIsNamedWithTheCause() throws IOException {
        int closed;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        HubClient unreachable = new HubClient(URI.create("http://127.0.0.1:" + closed), TOKEN);
        assertThatThrownBy(() -> unreachable.download(REPO, "main", dir, name -> { }))
                .hasMessageStartingWith("cannot reach http://127.0.0.1:" + closed + "/api/models/" + REPO + "/revision/main?blobs=true"
                        + " for " + REPO + ": the connection was refused")
                .hasMessageNotContaining("null").hasMessageNotContaining(TOKEN);
        HubClient unknownHost = new HubClient(URI.create("http://no-such-host.invalid"), null);
        assertThatThrownBy(() -> unknownHost.download(REPO, "main", dir, name -> { }))
                .hasMessageContaining("http://no-such-host.invalid/api/models/").hasMessageContaining("the host name does not resolve")
                .hasMessageNotContaining("null");
    }

    @Test
    void downloadsChosenFilesOfADatasetRepository() throws Exception {
        client(null).download(HubClient.RepoType.DATASET, REPO, "main", dir, name -> name.endsWith(".json"), name -> { });

        assertThat(requests).contains("/api/datasets/" + REPO + "/revision/main", "/datasets/" + REPO + "/resolve/main/config.json");
        assertThat(Files.readAllBytes(dir.resolve("config.json"))).isEqualTo(files.get("config.json"));
        assertThat(dir.resolve("model.safetensors")).doesNotExist();
        assertThatThrownBy(() -> client(null).download(HubClient.RepoType.DATASET, REPO, "main", dir, name -> false, name -> { }))
                .hasMessageContaining("none of the files");
    }

    @Test
    void aMissingRepositoryIsAClearError() {
        assertThatThrownBy(() -> client(TOKEN).download("acme/nothing", "main", dir, name -> { }))
                .hasMessageContaining("acme/nothing").hasMessageContaining("404")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String gitBlobId(byte[] data) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(("blob " + data.length + "\0").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha1.digest(data));
    }
}
