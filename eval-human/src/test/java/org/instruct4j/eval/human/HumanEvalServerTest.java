package org.instruct4j.eval.human;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.instruct4j.core.io.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web app's HTTP API: who may do what, and what reaches the page. */
class HumanEvalServerTest {
    @TempDir
    Path dir;

    private ServedApp app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        app = new ServedApp(dir);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(app.url(path)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    /** Signs in; returns {cookie header value, csrf token}. */
    private String[] signIn() throws Exception {
        HttpResponse<String> response = send(request("/api/session").header("Content-Type", "application/json")
                .POST(json("{\"token\":\"" + app.token + "\"}")));
        assertThat(response.statusCode()).isEqualTo(200);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
        JsonNode state = Json.MAPPER.readTree(response.body());
        assertThat(state.get("annotator").asText()).isEqualTo("ann");
        assertThat(state.get("progress").get("total").asInt()).isEqualTo(3);
        return new String[] {setCookie.substring(0, setCookie.indexOf(';')), state.get("csrf_token").asText()};
    }

    @Test
    void everyApiRequestWithoutASessionIsRefusedWith401() throws Exception {
        assertThat(send(request("/api/item")).statusCode()).isEqualTo(401);
        assertThat(send(request("/api/state")).statusCode()).isEqualTo(401);
        assertThat(send(request("/api/item").header("Cookie", HumanEvalServer.SESSION_COOKIE + "=forged")).statusCode()).isEqualTo(401);
        assertThat(send(request("/api/judgments").header("Content-Type", "application/json")
                .POST(json("{\"pair_id\":\"1\",\"helpfulness\":\"left\",\"honesty\":\"left\",\"harmlessness\":\"left\"}"))).statusCode())
                .isEqualTo(401);
        HttpResponse<String> wrongToken = send(request("/api/session").header("Content-Type", "application/json")
                .POST(json("{\"token\":\"guess\"}")));
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(wrongToken.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(app.store.judgments()).isEmpty();
    }

    @Test
    void stateChangesNeedTheCsrfHeaderAndAJsonBody() throws Exception {
        String[] session = signIn();
        JsonNode item = Json.MAPPER.readTree(send(request("/api/item").header("Cookie", session[0])).body());
        String judgment = "{\"pair_id\":\"" + item.get("pair_id").asText()
                + "\",\"helpfulness\":\"left\",\"honesty\":\"tie\",\"harmlessness\":\"right\"}";

        assertThat(send(request("/api/judgments").header("Cookie", session[0]).header("Content-Type", "application/json")
                .POST(json(judgment))).statusCode()).isEqualTo(403);
        assertThat(send(request("/api/judgments").header("Cookie", session[0]).header("Content-Type", "application/json")
                .header(HumanEvalServer.CSRF_HEADER, "wrong").POST(json(judgment))).statusCode()).isEqualTo(403);
        assertThat(send(request("/api/judgments").header("Cookie", session[0]).header(HumanEvalServer.CSRF_HEADER, session[1])
                .header("Content-Type", "application/x-www-form-urlencoded").POST(json("pair_id=1"))).statusCode()).isEqualTo(415);
        assertThat(app.store.judgments()).isEmpty();

        HttpResponse<String> stored = send(request("/api/judgments").header("Cookie", session[0])
                .header(HumanEvalServer.CSRF_HEADER, session[1]).header("Content-Type", "application/json").POST(json(judgment)));
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(stored.body()).get("stored").asBoolean()).isTrue();
        assertThat(Json.MAPPER.readTree(stored.body()).get("progress").get("judged").asInt()).isEqualTo(1);

        HttpResponse<String> again = send(request("/api/judgments").header("Cookie", session[0])
                .header(HumanEvalServer.CSRF_HEADER, session[1]).header("Content-Type", "application/json").POST(json(judgment)));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(again.body()).get("stored").asBoolean()).isFalse();
        assertThat(app.store.judgments()).hasSize(1);

        assertThat(send(request("/api/session").header("Cookie", session[0]).header(HumanEvalServer.CSRF_HEADER, session[1])
                .DELETE()).statusCode()).isEqualTo(204);
        assertThat(send(request("/api/item").header("Cookie", session[0])).statusCode()).isEqualTo(401);
    }

    @Test
    void itemsNameNoModelAndCarryAnswersAsJsonStrings() throws Exception {
        String[] session = signIn();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = send(request("/api/item").header("Cookie", session[0]));
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            JsonNode item = Json.MAPPER.readTree(response.body());
            assertThat(response.body()).doesNotContain("alpaca", "vicuna", "model", "on_left");
            if (item.get("pair_id").asText().equals("2")) {
                assertThat(item.get("left").asText() + item.get("right").asText()).contains(TestPairs.HOSTILE);
            }
            send(request("/api/judgments").header("Cookie", session[0]).header(HumanEvalServer.CSRF_HEADER, session[1])
                    .header("Content-Type", "application/json").POST(json("{\"pair_id\":\"" + item.get("pair_id").asText()
                            + "\",\"helpfulness\":\"tie\",\"honesty\":\"tie\",\"harmlessness\":\"tie\"}")));
        }
        JsonNode done = Json.MAPPER.readTree(send(request("/api/item").header("Cookie", session[0])).body());
        assertThat(done.get("done").asBoolean()).isTrue();
        assertThat(done.get("progress").get("judged").asInt()).isEqualTo(3);
    }

    @Test
    void pagesForbidInlineScriptsAndFraming() throws Exception {
        HttpResponse<String> page = send(request("/"));
        assertThat(page.statusCode()).isEqualTo(200);
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.body()).contains("Helpfulness", "Honesty", "Harmlessness", "hate speech").doesNotContain("<script>");
        assertThat(send(request("/app.js")).body()).contains("textContent").doesNotContain("innerHTML");
    }
}
