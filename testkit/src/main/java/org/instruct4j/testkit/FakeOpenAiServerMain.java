package org.instruct4j.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link FakeOpenAiServer} until the process is stopped, for trying a client by hand or
 * benchmarking one. Prints the base URL on stdout, and what the server saw on stderr at exit.
 */
public final class FakeOpenAiServerMain {
    private static final String USAGE = """
            usage: FakeOpenAiServerMain [options]
              --port N                 port on 127.0.0.1 (default: a free one)
              --latency-ms N           delay before every chat answer (default 0)
              --api-key KEY            require "Authorization: Bearer KEY" (default: accept any)
              --rpm N                  answer 429 beyond N chat requests per 60 s (default: no limit)
              --polls-per-stage N      batch retrieves per stage (default 1)
              --seed N                 seed of the random faults (default 0)
              --rate-429 P             probability of a 429 with Retry-After (--retry-after-s, default 1)
              --rate-500 P             probability of a 500
              --rate-timeout P         probability of hanging (--hang-ms, default 120000) then dropping
              --rate-malformed P       probability of a 200 with cut JSON
              --rate-truncated P       probability of an answer cut with finish_reason "length"
              --rate-drop P            probability of closing the connection without an answer
              --responder NAME         deterministic (default: "Answer <hash> to: <question>") or tasks (judge ratings,
                                       verdicts and scores, translations: whole evaluation workflows run)
            """;

    private static final Set<String> OPTIONS = Set.of("port", "latency-ms", "api-key", "rpm", "polls-per-stage",
            "seed", "rate-429", "retry-after-s", "rate-500", "rate-timeout", "hang-ms", "rate-malformed",
            "rate-truncated", "rate-drop", "responder");

    private FakeOpenAiServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        FakeOpenAiServer server = new FakeOpenAiServer()
                .latency(Duration.ofMillis(number(options, "latency-ms", 0)))
                .rpmLimit((int) number(options, "rpm", 0))
                .apiKey(options.get("api-key"));
        server.batches().pollsPerStage((int) number(options, "polls-per-stage", 1));
        switch (options.getOrDefault("responder", "deterministic")) {
            case "deterministic" -> server.responder(Responder.deterministic());
            case "tasks" -> server.responder(Responder.tasks());
            default -> fail("--responder must be deterministic or tasks, got '" + options.get("responder") + "'");
        }
        FaultPlan faults = server.faults().seed(number(options, "seed", 0));
        int retryAfter = (int) number(options, "retry-after-s", 1);
        Duration hang = Duration.ofMillis(number(options, "hang-ms", 120_000));
        addRandom(faults, options, "rate-429", Fault.rateLimited(retryAfter));
        addRandom(faults, options, "rate-500", Fault.status(500));
        addRandom(faults, options, "rate-timeout", Fault.hang(hang));
        addRandom(faults, options, "rate-malformed", Fault.malformedJson());
        addRandom(faults, options, "rate-truncated", Fault.truncated());
        addRandom(faults, options, "rate-drop", Fault.dropConnection());

        server.start((int) number(options, "port", 0));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RequestLog log = server.log();
            System.err.printf("fake OpenAI server: %d HTTP requests, %d chat, %d in batches, %d faults injected, "
                            + "max concurrency %d, %d batches created%n",
                    log.totalRequests(), log.chatRequests(), log.batchRequests(), faults.injected(),
                    log.maxConcurrency(), log.batchesCreated());
            server.close();
            stopped.countDown();
        }));
        System.out.println(server.baseUrl());
        System.out.flush();
        stopped.await();
    }

    private static void addRandom(FaultPlan faults, Map<String, String> options, String option, Fault fault) {
        if (options.containsKey(option)) {
            try {
                faults.randomly(Double.parseDouble(options.get(option)), fault);
            } catch (IllegalArgumentException e) {
                fail("--" + option + " " + options.get(option) + ": " + e.getMessage());
            }
        }
    }

    private static long number(Map<String, String> options, String option, long fallback) {
        String value = options.get(option);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            fail("--" + option + " needs a whole number, got '" + value + "'");
            return fallback;
        }
    }

    private static void fail(String message) {
        System.err.print(message + "\n" + USAGE);
        System.exit(2);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!args[i].startsWith("--") || !OPTIONS.contains(args[i].substring(2)) || i + 1 == args.length) {
                fail("unexpected argument '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
