package org.instruct4j.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parts of the Hugging Face hub's HTTP API a downloader uses, on 127.0.0.1: revision metadata with each
 * file's size and sha256 ({@code /api/models/R/revision/main}, {@code /api/datasets/R/revision/main}) and file
 * downloads with Range support ({@code /R/resolve/main/F}, {@code /datasets/R/resolve/main/F}). Point
 * {@code HF_ENDPOINT} at {@link #endpoint()}.
 */
public final class FakeHubServer implements AutoCloseable {
    private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private HttpServer server;

    /** Adds a file to a model repository ("org/name") or, with {@code dataset}, to a dataset repository. */
    public FakeHubServer file(boolean dataset, String repo, String name, byte[] content) {
        repos.computeIfAbsent(key(dataset, repo), k -> new TreeMap<>()).put(name, content.clone());
        return this;
    }

    public FakeHubServer start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every path requested, with its Range header if any. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        synchronized (this) {
            requests.add(path + (range == null ? "" : " " + range));
        }
        boolean dataset = path.startsWith("/api/datasets/") || path.startsWith("/datasets/");
        String rest = path.replaceFirst("^/api/(models|datasets)/", "").replaceFirst("^/datasets/", "").replaceFirst("^/", "");
        String[] parts = rest.split("/", 5);
        byte[] body = "not found".getBytes(StandardCharsets.UTF_8);
        int status = 404;
        Map<String, byte[]> files = parts.length >= 4 ? repos.get(key(dataset, parts[0] + "/" + parts[1])) : null;
        if (files != null && path.startsWith("/api/") && parts[2].equals("revision")) {
            body = metadata(parts[0] + "/" + parts[1], files).getBytes(StandardCharsets.UTF_8);
            status = 200;
        } else if (files != null && parts.length == 5 && parts[2].equals("resolve") && files.containsKey(parts[4])) {
            body = files.get(parts[4]);
            status = 200;
            if (range != null) {
                int from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
                body = Arrays.copyOfRange(body, from, body.length);
                status = 206;
            }
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String metadata(String repo, Map<String, byte[]> files) {
        List<String> siblings = new ArrayList<>();
        files.forEach((name, content) -> siblings.add("{\"rfilename\":\"%s\",\"size\":%d,\"lfs\":{\"sha256\":\"%s\",\"size\":%d}}"
                .formatted(name, content.length, sha256(content), content.length)));
        return "{\"id\":\"" + repo + "\",\"sha\":\"main\",\"siblings\":[" + String.join(",", siblings) + "]}";
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(boolean dataset, String repo) {
        return (dataset ? "datasets/" : "models/") + repo;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
