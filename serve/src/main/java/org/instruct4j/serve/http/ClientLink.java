package org.instruct4j.serve.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * Tells whether the client of a request has gone. Jetty reads nothing from an HTTP/1.1 connection while its
 * request is handled, so a client that closes its connection goes unnoticed until a write fails (a stream that is
 * holding text back may not write for many steps; a plain request writes only at the end). So the request's own
 * thread reads the connection itself, without waiting: end of stream means the client has gone. Should the client
 * have sent more (a pipelined request, which no OpenAI client does), that byte is lost: the connection is marked
 * to close after this response and no longer read.
 */
final class ClientLink {
    private final Context ctx;
    private EndPoint endPoint;
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    private boolean gone;

    private ClientLink(Context ctx, EndPoint endPoint) {
        this.ctx = ctx;
        this.endPoint = endPoint;
    }

    /** Call once the request body has been read. */
    static ClientLink of(Context ctx) {
        return new ClientLink(ctx, ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData()
                .getConnection().getEndPoint());
    }

    boolean gone() {
        if (gone || endPoint == null) {
            return gone;
        }
        try {
            probe.clear().flip();
            int read = endPoint.fill(probe);
            if (read < 0) {
                gone = true;
            } else if (read > 0) {
                endPoint = null;
                if (!ctx.res().isCommitted()) {
                    ctx.res().setHeader("Connection", "close");
                }
            }
        } catch (IOException e) {
            gone = true;
        }
        return gone;
    }

    /** A write to the client failed: it has gone. */
    void lost() {
        gone = true;
    }
}
