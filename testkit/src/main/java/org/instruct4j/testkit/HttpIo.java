package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reading requests and writing responses of the JDK HTTP server. */
final class HttpIo {
    private HttpIo() {}

    static JsonNode parseJson(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiError.invalidRequest("We could not parse the JSON body of your request. (HINT: This likely "
                    + "means you aren't using your HTTP library correctly.)", null);
        }
    }

    static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    static void sendError(HttpExchange exchange, ApiError error) throws IOException {
        error.retryAfterMillis.ifPresent(millis -> retryAfter(exchange, millis));
        sendJson(exchange, error.status, error.body());
    }

    /**
     * {@code Retry-After} holds whole seconds; a wait that is not whole seconds is also given exactly
     * in {@code retry-after-ms}, which the OpenAI SDKs read first.
     */
    private static void retryAfter(HttpExchange exchange, long millis) {
        exchange.getResponseHeaders().set("Retry-After", Long.toString((millis + 999) / 1000));
        if (millis % 1000 != 0) {
            exchange.getResponseHeaders().set("retry-after-ms", Long.toString(millis));
        }
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-request-id", Ids.random("req_"));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Closes the connection without a response: closing an exchange before its headers were sent does that. */
    static void drop(HttpExchange exchange) {
        exchange.close();
    }
}
