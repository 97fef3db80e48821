package org.instruct4j.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP file server on 127.0.0.1 for download tests: serves byte arrays by path with Range support, and can be
 * told to redirect a path, to ignore Range, or to break a response off after some bytes. Records every request with
 * its Range and Authorization headers.
 */
public final class FileServer implements AutoCloseable {
    /** One request as the server saw it. */
    public record Request(String path, String range, String authorization) {}

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, Integer> breakAfter = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private volatile boolean ignoreRange;
    private final HttpServer server;

    public FileServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public FileServer file(String path, byte[] content) {
        files.put(path, content.clone());
        return this;
    }

    /** Answers {@code path} with a 302 to {@code location} (relative or absolute). */
    public FileServer redirect(String path, String location) {
        redirects.put(path, location);
        return this;
    }

    /** The next response for {@code path} announces its full length but stops after {@code bytes} bytes. */
    public FileServer breakAfter(String path, int bytes) {
        breakAfter.put(path, bytes);
        return this;
    }

    /** Answer every Range request with the whole file (200), as some servers do. */
    public FileServer ignoreRange() {
        ignoreRange = true;
        return this;
    }

    public URI uri(String path) {
        return URI.create(base() + path);
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        synchronized (this) {
            requests.add(new Request(path, range, exchange.getRequestHeaders().getFirst("Authorization")));
        }
        String location = redirects.get(path);
        byte[] file = files.get(path);
        if (location != null) {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(302, -1);
        } else if (file == null) {
            byte[] body = "not found".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
        } else {
            send(exchange, path, file, range);
        }
        exchange.close();
    }

    private void send(HttpExchange exchange, String path, byte[] file, String range) throws IOException {
        int from = range == null || ignoreRange ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
        if (from >= file.length && from > 0) {
            exchange.getResponseHeaders().add("Content-Range", "bytes */" + file.length);
            exchange.sendResponseHeaders(416, -1);
            return;
        }
        byte[] body = Arrays.copyOfRange(file, from, file.length);
        if (from > 0) {
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (file.length - 1) + "/" + file.length);
        }
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, body.length);
        Integer cut = breakAfter.remove(path);
        OutputStream out = exchange.getResponseBody();
        if (cut != null) {
            out.write(body, 0, cut);
            out.flush();
            throw new IOException("connection broken off on purpose after " + cut + " bytes");
        }
        out.write(body);
    }
}
