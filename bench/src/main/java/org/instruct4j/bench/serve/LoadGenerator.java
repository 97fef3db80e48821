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
 * per second over the whole run, each request's time to first token (from its sending to its first content chunk) and
 * time per output token after the first (TPOT: from its first content chunk to its last, over the tokens between),
 * and the inter-token latencies (ITL: the gaps between consecutive content chunks, as vLLM's benchmark counts them).
 */
final class LoadGenerator {
    /** One request of the load: an Alpaca instruction and how many tokens to answer it with. */
    record Request(String instruction, int outputTokens) {}

    /** What one run measured. */
    record Result(int requests, long outputTokens, double seconds, double[] ttftSeconds, double[] tpotSeconds,
                  double[] itlSeconds) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        double tokensPerSecond() {
            return outputTokens / seconds;
        }

        double ttft(double quantile) {
            return quantile(ttftSeconds, quantile);
        }

        double tpot(double quantile) {
            return quantile(tpotSeconds, quantile);
        }

        double itl(double quantile) {
            return quantile(itlSeconds, quantile);
        }

        private static double quantile(double[] values, double quantile) {
            if (values.length == 0) {
                return Double.NaN;
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1))];
        }
    }

    /** One request's measurements: its output tokens, time to first token, time per output token and chunk gaps. */
    private record Sample(long tokens, long ttftNanos, double tpotNanos, long[] gapNanos) {}

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
        List<Future<Sample>> sent = new ArrayList<>();
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
        List<Double> tpot = new ArrayList<>();
        List<Double> itl = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Sample measured = sent.get(i).get();
            tokens += measured.tokens();
            ttft[i] = measured.ttftNanos() / 1e9;
            if (!Double.isNaN(measured.tpotNanos())) {
                tpot.add(measured.tpotNanos() / 1e9);
            }
            Arrays.stream(measured.gapNanos()).forEach(gap -> itl.add(gap / 1e9));
        }
        return new Result(requests.size(), tokens, seconds, ttft, tpot.stream().mapToDouble(Double::doubleValue).toArray(),
                itl.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Sends one request and reads its stream. */
    private Sample send(Request request) throws IOException, InterruptedException {
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
        long lastChunk = -1;
        long tokens = -1;
        List<Long> gaps = new ArrayList<>();
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                long now = System.nanoTime() - sentAt;
                if (firstToken < 0) {
                    firstToken = now;
                } else {
                    gaps.add(now - lastChunk);
                }
                lastChunk = now;
            }
            if (line.contains("\"usage\":{")) {
                JsonNode usage = Json.MAPPER.readTree(line.substring("data: ".length())).get("usage");
                tokens = usage.get("completion_tokens").asLong();
            }
        }
        if (tokens != request.outputTokens()) {
            throw new IOException("expected " + request.outputTokens() + " tokens, got " + tokens);
        }
        double tpot = tokens > 1 ? (double) (lastChunk - firstToken) / (tokens - 1) : Double.NaN;
        return new Sample(tokens, firstToken, tpot, gaps.stream().mapToLong(Long::longValue).toArray());
    }
}
