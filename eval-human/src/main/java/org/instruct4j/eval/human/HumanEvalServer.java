package org.instruct4j.eval.human;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.report.HtmlReport;

/**
 * The human-evaluation web app: annotators sign in with their token, then judge one item at a time, each answer
 * pair once, on the three criteria; progress is shown and everything works from the keyboard.
 *
 * <p>Security: every {@code /api} request except sign-in needs the session cookie (HttpOnly, SameSite=Strict),
 * else 401; state-changing requests also need the session's CSRF token in the {@code X-CSRF-Token} header (else 403)
 * and a JSON body (else 415), which a cross-site form cannot send. Model output reaches the page only as JSON
 * strings that the script puts into {@code textContent}; the Content-Security-Policy allows no inline script,
 * so even a mistake there could not run injected code.
 */
public final class HumanEvalServer implements AutoCloseable {
    public static final String SESSION_COOKIE = "i4j_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String SESSION = "session";
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** The page, with a fieldset per criterion: the definitions on screen are those of {@link Criterion}. */
    private static final String PAGE = read("index.html").replace("<!-- criteria -->", criteriaFieldsets());

    private final AnnotationStore store;
    private final List<Pair> pairs;
    private final Javalin app;

    private HumanEvalServer(AnnotationStore store, List<Pair> pairs, String host, int port) {
        this.store = store;
        this.pairs = store.loadPairs(pairs);
        if (this.pairs.isEmpty()) {
            throw new BadInputException("no pairs to judge");
        }
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.before(this::securityHeaders);
            config.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(PAGE));
            config.routes.get("/app.js", ctx -> resource(ctx, "app.js", "text/javascript; charset=utf-8"));
            config.routes.get("/app.css", ctx -> resource(ctx, "app.css", "text/css; charset=utf-8"));
            config.routes.before("/api/*", this::authenticate);
            config.routes.post("/api/session", this::signIn);
            config.routes.delete("/api/session", this::signOut);
            config.routes.get("/api/state", ctx -> json(ctx, state(session(ctx))));
            config.routes.get("/api/item", this::item);
            config.routes.post("/api/judgments", this::judge);
            config.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            config.routes.exception(BadInputException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        });
        app.start();
    }

    /** Starts serving {@code pairs} (stored into the database first) on {@code host:port}; port 0 picks a free one. */
    public static HumanEvalServer start(AnnotationStore store, List<Pair> pairs, String host, int port) {
        return new HumanEvalServer(store, pairs, host, port);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
    }

    private void authenticate(Context ctx) {
        boolean signingIn = ctx.path().equals("/api/session") && ctx.method() == HandlerType.POST;
        if (ctx.method() != HandlerType.GET) {
            String type = ctx.contentType();
            if (ctx.method() == HandlerType.POST && (type == null || !type.startsWith("application/json"))) {
                throw new BadRequest(415, "send JSON (Content-Type: application/json)");
            }
        }
        if (signingIn) {
            return;
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        AnnotationStore.Session session = cookie == null ? null : store.session(cookie).orElse(null);
        if (session == null) {
            throw new BadRequest(401, "sign in first");
        }
        if (ctx.method() != HandlerType.GET && !Tokens.same(session.csrfToken(), ctx.header(CSRF_HEADER))) {
            throw new BadRequest(403, "missing or wrong " + CSRF_HEADER + " header");
        }
        ctx.attribute(SESSION, session);
    }

    private void signIn(Context ctx) {
        String token = text(body(ctx), "token");
        AnnotationStore.SignIn signIn = store.signIn(token).orElseThrow(() -> new BadRequest(401, "unknown token"));
        Cookie cookie = new Cookie(SESSION_COOKIE, signIn.sessionId(), "/", (int) AnnotationStore.SESSION_LIFETIME.toSeconds(),
                secure(ctx), true, null, SameSite.STRICT);
        ctx.cookie(cookie);
        json(ctx, state(signIn.session()));
    }

    private void signOut(Context ctx) {
        store.signOut(ctx.cookie(SESSION_COOKIE));
        ctx.removeCookie(SESSION_COOKIE, "/");
        ctx.status(204);
    }

    private void item(Context ctx) {
        AnnotationStore.Session session = session(ctx);
        Optional<AnnotationStore.Shown> next = store.nextItem(session.annotatorId(), pairs);
        ObjectNode node = Json.object();
        node.put("done", next.isEmpty());
        next.ifPresent(shown -> {
            node.put("pair_id", shown.pair().pairId());
            node.put("question", shown.pair().question());
            node.put("left", shown.left());
            node.put("right", shown.right());
        });
        node.set("progress", progress(session));
        json(ctx, node);
    }

    private void judge(Context ctx) {
        AnnotationStore.Session session = session(ctx);
        JsonNode body = body(ctx);
        boolean stored = store.submit(session.annotatorId(), text(body, "pair_id"), text(body, Criterion.HELPFULNESS.key()),
                text(body, Criterion.HONESTY.key()), text(body, Criterion.HARMLESSNESS.key()));
        ObjectNode node = Json.object();
        node.put("stored", stored);
        node.set("progress", progress(session));
        json(ctx, node);
    }

    private ObjectNode state(AnnotationStore.Session session) {
        ObjectNode node = Json.object();
        node.put("annotator", session.annotatorName());
        node.put("csrf_token", session.csrfToken());
        node.set("progress", progress(session));
        return node;
    }

    private ObjectNode progress(AnnotationStore.Session session) {
        ObjectNode progress = Json.object();
        progress.put("judged", store.judgedCount(session.annotatorId(), pairs));
        progress.put("total", pairs.size());
        return progress;
    }

    private static AnnotationStore.Session session(Context ctx) {
        return ctx.attribute(SESSION);
    }

    private static boolean secure(Context ctx) {
        return "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode node = Json.MAPPER.readTree(ctx.body());
            if (node == null || !node.isObject()) {
                throw new BadRequest(400, "expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new BadRequest(400, "field \"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static void json(Context ctx, JsonNode node) {
        ctx.contentType("application/json; charset=utf-8").result(Json.line(node));
    }

    private static void error(Context ctx, int status, String message) {
        ObjectNode node = Json.object();
        node.put("error", message);
        ctx.status(status);
        json(ctx, node);
    }

    private static void resource(Context ctx, String name, String contentType) {
        ctx.contentType(contentType).result(read(name));
    }

    private static String read(String name) {
        try (InputStream in = HumanEvalServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("web resource missing from the classpath: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String criteriaFieldsets() {
        StringBuilder html = new StringBuilder();
        for (Criterion c : Criterion.values()) {
            html.append("    <fieldset data-criterion=\"").append(c.key()).append("\">\n")
                    .append("      <legend>").append(HtmlReport.escape(c.title())).append("</legend>\n")
                    .append("      <p class=\"definition\">").append(HtmlReport.escape(c.definition())).append("</p>\n");
            for (String[] choice : new String[][] {{"left", "A better"}, {"tie", "Tie"}, {"right", "B better"}}) {
                html.append("      <label><input type=\"radio\" name=\"").append(c.key()).append("\" value=\"").append(choice[0])
                        .append("\"> ").append(choice[1]).append("</label>\n");
            }
            html.append("    </fieldset>\n");
        }
        return html.toString();
    }

    /** A request the app refuses, with its HTTP status. */
    private static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
