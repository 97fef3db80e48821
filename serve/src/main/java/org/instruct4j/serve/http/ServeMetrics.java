package org.instruct4j.serve.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.serve.schedule.GenerationQueue;
import org.instruct4j.serve.schedule.JobResult;

/**
 * What {@code GET /metrics} shows, in Prometheus' text format (the Prometheus Java client's registry and writer),
 * named after vLLM's: requests waiting and running, prompt and generated tokens (counters, and generated tokens per
 * second over the last {@link #RATE_WINDOW_NANOS 10 s}), prompt tokens looked up in the prefix cache and found there,
 * finished requests by finish reason, rejected (429) and
 * cancelled ones, and histograms of the time to first token, the time per output token after the first, and the
 * whole request.
 */
final class ServeMetrics {
    private static final long RATE_WINDOW_NANOS = 10_000_000_000L;
    private static final double[] TTFT_BOUNDS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
        2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
    private static final double[] TPOT_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3,
        0.4, 0.5, 0.75, 1.0, 2.5, 5.0};
    private static final double[] E2E_BOUNDS = {0.1, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 60.0, 120.0, 300.0, 600.0};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter promptTokens;
    private final Counter generationTokens;
    private final Counter finished;
    private final Counter rejected;
    private final Counter cancelled;
    private final Histogram timeToFirstToken;
    private final Histogram timePerOutputToken;
    private final Histogram requestLatency;
    /** (time, tokens) of recently finished choices, for the rate gauge. */
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();

    ServeMetrics(GenerationQueue queue) {
        GaugeWithCallback.builder().name("instruct4j_requests_waiting").help("Jobs (choices) waiting for a row")
                .callback(cb -> cb.call(queue.waiting())).register(registry);
        GaugeWithCallback.builder().name("instruct4j_requests_running").help("Rows in the running batch")
                .callback(cb -> cb.call(queue.running())).register(registry);
        GaugeWithCallback.builder().name("instruct4j_generation_tokens_per_second")
                .help("Tokens generated per second over the last 10 s").callback(cb -> cb.call(tokensPerSecond())).register(registry);
        CounterWithCallback.builder().name("instruct4j_prefix_cache_queries")
                .help("Prompt tokens looked up in the prefix cache").callback(cb -> cb.call(queue.prefixHits().queried()))
                .register(registry);
        CounterWithCallback.builder().name("instruct4j_prefix_cache_hits")
                .help("Prompt tokens found in the prefix cache (copied, not computed)").callback(cb -> cb.call(queue.prefixHits().hit()))
                .register(registry);
        promptTokens = Counter.builder().name("instruct4j_prompt_tokens").help("Prompt tokens of finished requests").register(registry);
        generationTokens = Counter.builder().name("instruct4j_generation_tokens").help("Tokens generated for finished choices")
                .register(registry);
        finished = Counter.builder().name("instruct4j_request_success").help("Finished choices by finish reason")
                .labelNames("finished_reason").register(registry);
        rejected = Counter.builder().name("instruct4j_requests_rejected").help("Requests turned away with 429 (queue full)")
                .register(registry);
        cancelled = Counter.builder().name("instruct4j_requests_cancelled").help("Requests whose client went away before the end")
                .register(registry);
        timeToFirstToken = Histogram.builder().name("instruct4j_time_to_first_token_seconds")
                .help("From the request's arrival to its first token").classicOnly().classicUpperBounds(TTFT_BOUNDS).register(registry);
        timePerOutputToken = Histogram.builder().name("instruct4j_time_per_output_token_seconds")
                .help("Mean time between a choice's tokens after its first").classicOnly().classicUpperBounds(TPOT_BOUNDS)
                .register(registry);
        requestLatency = Histogram.builder().name("instruct4j_e2e_request_latency_seconds")
                .help("From the request's arrival to its last token").classicOnly().classicUpperBounds(E2E_BOUNDS).register(registry);
    }

    /** Starts timing a request that just arrived with {@code choices} choices. */
    Tracker track(int choices, int promptLength) {
        return new Tracker(choices, promptLength);
    }

    void rejected() {
        rejected.inc();
    }

    void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    private synchronized void recordTokens(long count) {
        recent.addLast(new long[] {System.nanoTime(), count});
    }

    private synchronized double tokensPerSecond() {
        long now = System.nanoTime();
        while (!recent.isEmpty() && now - recent.peekFirst()[0] > RATE_WINDOW_NANOS) {
            recent.pollFirst();
        }
        return recent.stream().mapToLong(sample -> sample[1]).sum() / (RATE_WINDOW_NANOS / 1e9);
    }

    /** The timing of one request: its tokens arrive on the scheduler's thread, its ends on the request's own. */
    final class Tracker {
        private final long arrival = System.nanoTime();
        private final long[] firstToken;
        private final int promptLength;
        private volatile boolean anyToken;

        private Tracker(int choices, int promptLength) {
            this.firstToken = new long[choices];
            this.promptLength = promptLength;
        }

        /** Choice {@code choice} sampled a token. */
        void token(int choice) {
            if (firstToken[choice] == 0) {
                long now = System.nanoTime();
                firstToken[choice] = now;
                if (!anyToken) {
                    anyToken = true;
                    timeToFirstToken.observe((now - arrival) / 1e9);
                }
            }
        }

        /** Choice {@code choice} finished (seen after its last {@link #token}). */
        void finished(int choice, JobResult result) {
            Generation generation = result.generation();
            int tokens = generation.tokenIds().length;
            generationTokens.inc(tokens);
            recordTokens(tokens);
            finished.labelValues(generation.finishReason() == Generation.FinishReason.LENGTH ? "length" : "stop").inc();
            if (tokens > 1) {
                timePerOutputToken.observe((System.nanoTime() - firstToken[choice]) / 1e9 / (tokens - 1));
            }
        }

        void completed() {
            promptTokens.inc(promptLength);
            requestLatency.observe((System.nanoTime() - arrival) / 1e9);
        }

        void cancelled() {
            cancelled.inc();
        }
    }
}
