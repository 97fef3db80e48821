package org.instruct4j.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the server saw and answered, for assertions. A request's "prompt" is its last user
 * message ({@link ChatRequest#lastUserMessage()}). Requests executed inside batches count as
 * asked and answered like chat requests over HTTP, so "nothing was paid for twice" holds across
 * both paths. Thread-safe; the returned collections are snapshots.
 */
public final class RequestLog {
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger chat = new AtomicInteger();
    private final AtomicInteger batchRequests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrency = new AtomicInteger();
    private final AtomicInteger batchesCreated = new AtomicInteger();
    private final AtomicInteger filesUploaded = new AtomicInteger();
    private final AtomicInteger batchListings = new AtomicInteger();
    private final Map<String, Integer> asked = new ConcurrentHashMap<>();
    private final Map<String, Integer> answered = new ConcurrentHashMap<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<ChatRequest> requests = new ArrayList<>();
    private final List<Instant> arrivals = new ArrayList<>();
    private final List<Instant> askedAt = new ArrayList<>();
    private final Set<String> authorizations = ConcurrentHashMap.newKeySet();

    /** Every HTTP request the server received, on any endpoint (rejected ones included). */
    public int totalRequests() {
        return total.get();
    }

    /** Chat-completion requests received over HTTP (rate-limited and faulted ones included). */
    public int chatRequests() {
        return chat.get();
    }

    /** Chat requests executed inside batches. */
    public int batchRequests() {
        return batchRequests.get();
    }

    /**
     * How often a well-formed request with this prompt reached the responder's fault plan (HTTP or
     * batch), whatever the fault; requests refused by the API key check or the rpm limit are not counted.
     */
    public int timesAsked(String prompt) {
        return asked.getOrDefault(prompt, 0);
    }

    /** How often this prompt got a complete or truncated answer (HTTP or batch). */
    public int timesAnswered(String prompt) {
        return answered.getOrDefault(prompt, 0);
    }

    /** Answer counts per prompt, sorted by prompt. */
    public Map<String, Integer> answerCounts() {
        return new TreeMap<>(answered);
    }

    /** The prompts answered more than once: each of them was paid for twice. */
    public Set<String> answeredMoreThanOnce() {
        Set<String> prompts = new LinkedHashSet<>();
        answerCounts().forEach((prompt, count) -> {
            if (count > 1) {
                prompts.add(prompt);
            }
        });
        return prompts;
    }

    /** The last answer content the server gave for each prompt. */
    public Map<String, String> answers() {
        return new TreeMap<>(answers);
    }

    /** Every well-formed chat request, HTTP and batch, in arrival order. */
    public synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    /** When each request whose last user message contains {@code needle} reached the fault plan, in order. */
    public synchronized List<Instant> askedAt(String needle) {
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).lastUserMessage().contains(needle)) {
                times.add(askedAt.get(i));
            }
        }
        return times;
    }

    /** Arrival times of chat requests over HTTP, in arrival order. */
    public synchronized List<Instant> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The most chat requests over HTTP that were being served at the same moment. */
    public int maxConcurrency() {
        return maxConcurrency.get();
    }

    /** Every distinct {@code Authorization} header value received ("" when a request had none). */
    public Set<String> authorizationHeaders() {
        return Set.copyOf(authorizations);
    }

    public int batchesCreated() {
        return batchesCreated.get();
    }

    public int filesUploaded() {
        return filesUploaded.get();
    }

    /** {@code GET /v1/batches} requests, answered or not. */
    public int batchListings() {
        return batchListings.get();
    }

    void httpRequest(String authorization) {
        total.incrementAndGet();
        authorizations.add(authorization == null ? "" : authorization);
    }

    void chatArrived() {
        chat.incrementAndGet();
        synchronized (this) {
            arrivals.add(Instant.now());
        }
        maxConcurrency.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void chatFinished() {
        inFlight.decrementAndGet();
    }

    void asked(ChatRequest request, boolean inBatch) {
        if (inBatch) {
            batchRequests.incrementAndGet();
        }
        asked.merge(request.lastUserMessage(), 1, Integer::sum);
        synchronized (this) {
            askedAt.add(Instant.now());
            requests.add(request);
        }
    }

    void answered(ChatRequest request, Reply reply) {
        answered.merge(request.lastUserMessage(), 1, Integer::sum);
        answers.put(request.lastUserMessage(), reply.content());
    }

    void batchCreated() {
        batchesCreated.incrementAndGet();
    }

    void fileUploaded() {
        filesUploaded.incrementAndGet();
    }

    void batchesListed() {
        batchListings.incrementAndGet();
    }
}
