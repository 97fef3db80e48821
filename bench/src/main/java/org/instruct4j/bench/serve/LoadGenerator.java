package org.instruct4j.bench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.instruct4j.core.io.Json;

/**
 * A load generator as vLLM's benchmark_serving runs one: requests arrive as a Poisson process of {@code rate} per
 * second, at most {@code clients} in flight at once (a request that arrives while all are busy waits for one), each
 * a streamed chat completion of exactly its max_tokens (ignore_eos), greedy. It measures requests and output tokens
 * per second over the whole run, and each request's time to first token (from its sending to its first content
 * chunk).
 */
final class LoadGenerator {
    /** One request of the load: an Alpaca instruction and how many tokens to answer it with. */
    record Request(String instruction, int outputTokens) {}

    /** What one run measured. */
    record Result(int requests, long outputTokens, double seconds, double[] ttftSeconds) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        double tokensPerSecond() {
            return outputTokens / seconds;
        }

        double ttft(double quantile) {
            double[] sorted = ttftSeconds.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final String model;

    LoadGenerator(String baseUrl, String model) {
        this.baseUrl = baseUrl;
        this.model = model;
    }

    Result run(List<Request> requests, int clients, double rate, long seed) throws Exception {
        Random arrivals = new Random(seed);
        Semaphore slots = new Semaphore(clients);
        List<Future<long[]>> sent = new ArrayList<>();
        long start = System.nanoTime();
        double at = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Request request : requests) {
                at += -Math.log(1 - arrivals.nextDouble()) / rate;
                long due = start + (long) (at * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                slots.acquire();
                sent.add(pool.submit(() -> {
                    try {
                        return send(request);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long tokens = 0;
        double[] ttft = new double[sent.size()];
        for (int i = 0; i < sent.size(); i++) {
            long[] measured = sent.get(i).get();
            tokens += measured[0];
            ttft[i] = measured[1] / 1e9;
        }
        return new Result(requests.size(), tokens, seconds, ttft);
    }

    /** Sends one request and reads its stream: {output tokens, nanoseconds to the first content chunk}. */
    private long[] send(Request request) throws IOException, InterruptedException {
        var body = Json.object().put("model", model).put("temperature", 0).put("max_tokens", request.outputTokens())
                .put("ignore_eos", true).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.putArray("messages").addObject().put("role", "user").put("content", request.instruction());
        long sentAt = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.line(body))).build(),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        long firstToken = -1;
        long tokens = -1;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (firstToken < 0 && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                firstToken = System.nanoTime() - sentAt;
            }
            if (line.contains("\"usage\":{")) {
                JsonNode usage = Json.MAPPER.readTree(line.substring("data: ".length())).get("usage");
                tokens = usage.get("completion_tokens").asLong();
            }
        }
        if (tokens != request.outputTokens()) {
            throw new IOException("expected " + request.outputTokens() + " tokens, got " + tokens);
        }
        return new long[] {tokens, firstToken};
    }
}
