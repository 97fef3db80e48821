package org.instruct4j.serve.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A JSON body written and completed inside the handler (not after it, as {@code ctx.result} does), so a request
 * that stops counting as in flight has been answered in full when a graceful shutdown stops the server.
 */
final class JsonResponse {
    private JsonResponse() {}

    static void write(Context ctx, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ctx.res().setStatus(200);
        ctx.res().setContentType("application/json");
        ctx.res().setContentLength(body.length);
        try (OutputStream out = ctx.res().getOutputStream()) {
            out.write(body);
        }
    }
}
