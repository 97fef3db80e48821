package org.instruct4j.bench.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.serve.LocalModel;
import org.instruct4j.serve.SamplingDefaults;
import org.instruct4j.serve.http.OpenAiServer;
import org.instruct4j.serve.http.ServeOptions;
import org.instruct4j.serve.schedule.GenerationQueue;
import org.instruct4j.serve.schedule.Job;
import org.instruct4j.serve.schedule.PrefixHits;
import org.instruct4j.serve.schedule.Scheduler;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.testkit.SharedData;

/**
 * Issue 13's serving benchmark: `serve` under a {@link LoadGenerator} (Poisson arrivals, 1 / 8 / 32 / 64 clients,
 * Alpaca instructions of mixed lengths, 16-256 output tokens each), with continuous batching ({@link Scheduler}) and
 * with the dynamic batching it replaced ({@link DynamicBatchingBaseline}, both variants) and one request at a time
 * (the same server with a continuous scheduler of one row: requests wait in its queue), continuous batching without its
 * prefix cache, same engine, same requests,
 * taking turns within each run, after one unmeasured run of each (the JIT's first compilations); and the
 * one-at-a-time baseline in process (the same eight requests generated without a server, one after another, after
 * four unmeasured ones; the median of three runs), which pays no HTTP; and, when continuous batching runs, the same
 * load through its scheduler in process (as many client threads, no server; median of the runs), which shows what the
 * scheduler and engine give before any HTTP. A rate of {@code Infinity} sends every request
 * as soon as a client is free. Prints each run and the medians: requests/s, output tokens/s, time to first token
 * p50 / p99, and the ratios the goals name.
 *
 * Each run sends {@code perClient} requests per client (at least 16): with 2, much of a run is its start and its end,
 * when fewer rows than clients are running; more measure closer to the steady state.
 *
 * <p>Usage: {@code ServeLoadBench [model=260K|15M] [runs=3] [clients=1,8,32,64] [rate=50] [maxRows=64] [engine=auto]
 * [perClient=2] [kvCache=fp32|bf16] [contenders=all]}. {@code contenders} runs some of them only, by key (comma-separated:
 * {@code dynamic-same}, {@code dynamic-any}, {@code one-at-a-time}, {@code continuous-no-cache}, {@code continuous}), so
 * that a profiler's samples come from one scheduler; the ratios are printed for the pairs that ran.
 */
public final class ServeLoadBench {
    private static final int MIN_OUTPUT = 16;
    private static final int MAX_OUTPUT = 256;
    private static final long SEED = 13;

    private ServeLoadBench() {}

    /** A scheduler under test, made fresh for every run; {@code key} names it on the command line. */
    private record Contender(String key, String name, Function<InferenceModel, GenerationQueue> queue) {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "260K";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] clientCounts = Arrays.stream((args.length > 2 ? args[2] : "1,8,32,64").split(",")).mapToInt(Integer::parseInt).toArray();
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 50;
        int maxRows = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int perClient = args.length > 6 ? Integer.parseInt(args[6]) : 2;
        int maxClients = Arrays.stream(clientCounts).max().orElse(1);
        InferenceModel model = load(which, InferenceOptions.defaults().withEngine(EngineChoice.parse(args.length > 5 ? args[5] : "auto"))
                .withKvCache(Precision.parse(args.length > 7 ? args[7] : "fp32")));
        InferenceEngine engine = model.engine();
        List<LoadGenerator.Request> requests = requests(model.tokenizer(), engine.maxPositions(),
                Math.max(16, perClient * maxClients));
        List<Contender> dynamic = List.of(
                new Contender("dynamic-same", "dynamic (same settings)", m -> new DynamicBatchingBaseline(m.engine(), m.tokenizer(), maxRows, true)),
                new Contender("dynamic-any", "dynamic (any settings)", m -> new DynamicBatchingBaseline(m.engine(), m.tokenizer(), maxRows, false)));
        // one request at a time through the same server: a continuous scheduler of one row, the rest waiting in its queue
        Contender servedOneAtATime = new Contender("one-at-a-time", "one at a time, served", m -> new Scheduler(m.engine(), m.tokenizer(),
                SchedulerOptions.defaults().withMaxRows(1).withMaxQueue(Math.max(256, 4 * maxClients))));
        Contender continuousBatching = new Contender("continuous", "continuous", m -> new Scheduler(m.engine(), m.tokenizer(),
                SchedulerOptions.defaults().withMaxRows(maxRows)));
        Contender withoutPrefixCache = new Contender("continuous-no-cache", "continuous, no prefix cache", m -> new Scheduler(m.engine(), m.tokenizer(),
                SchedulerOptions.defaults().withMaxRows(maxRows).withPrefixCacheBytes(0)));
        List<Contender> contenders = new ArrayList<>(dynamic);
        contenders.addAll(List.of(servedOneAtATime, withoutPrefixCache, continuousBatching));
        contenders = chosen(contenders, args.length > 8 ? args[8] : "all");
        System.out.printf("model %s on %s; Poisson arrivals at %.0f/s; outputs %d-%d tokens (ignore_eos, greedy); rows %d%n",
                which, engine.description(), rate, MIN_OUTPUT, MAX_OUTPUT, maxRows);
        sequentialTokensPerSecond(engine, model.tokenizer(), requests.subList(8, 12));
        double[] sequentialRuns = new double[3];
        for (int run = 0; run < sequentialRuns.length; run++) {
            sequentialRuns[run] = sequentialTokensPerSecond(engine, model.tokenizer(), requests.subList(0, 8));
        }
        Arrays.sort(sequentialRuns);
        double sequential = sequentialRuns[1];
        System.out.printf("one at a time in process: %.1f tokens/s (median of %.1f, %.1f, %.1f after a warm-up)%n", sequential,
                sequentialRuns[0], sequentialRuns[1], sequentialRuns[2]);
        for (Contender contender : contenders) {
            // one unmeasured run of each, so none pays for the JIT's first compilations
            serve(contender.queue().apply(model), model, requests.subList(0, 16), 8, rate, -1);
        }
        for (int clients : clientCounts) {
            List<LoadGenerator.Request> load = requests.subList(0, Math.max(16, perClient * clients));
            long promptTokens = load.stream().mapToLong(r -> promptIds(model.tokenizer(), r).length).sum();
            long outputTokens = load.stream().mapToLong(LoadGenerator.Request::outputTokens).sum();
            // every token, prompt or output, goes through the model's matrices once: the compute bound of any scheduler
            System.out.printf("%2d clients' requests: %d prompt + %d output tokens, %.2f tokens through the model per output token%n",
                    clients, promptTokens, outputTokens, (double) (promptTokens + outputTokens) / outputTokens);
            if (contenders.contains(continuousBatching)) {
                // the scheduler and engine without HTTP: what any serving path could get on this machine
                double[] inProcess = new double[runs];
                for (int run = 0; run < runs; run++) {
                    inProcess[run] = continuousInProcess(continuousBatching.queue().apply(model), model.tokenizer(), load, clients);
                }
                Arrays.sort(inProcess);
                System.out.printf("  continuous in process (no HTTP), %d clients: %.1f tokens/s, %.2fx one at a time in process "
                        + "(median of %d runs, %.1f-%.1f)%n", clients, inProcess[runs / 2], inProcess[runs / 2] / sequential, runs,
                        inProcess[0], inProcess[runs - 1]);
            }
            List<List<LoadGenerator.Result>> results = new ArrayList<>();
            contenders.forEach(c -> results.add(new ArrayList<>()));
            for (int run = 0; run < runs; run++) {
                StringBuilder line = new StringBuilder(String.format("  %2d clients, run %d:", clients, run + 1));
                for (int c = 0; c < contenders.size(); c++) {
                    GenerationQueue queue = contenders.get(c).queue().apply(model);
                    LoadGenerator.Result result = serve(queue, model, load, clients, rate, run);
                    results.get(c).add(result);
                    line.append(String.format(" | %s %.2f req/s %.1f tok/s TTFT p50 %.3f p99 %.3f TPOT p50 %.1f ms ITL p99 %.1f ms",
                            contenders.get(c).name(), result.requestsPerSecond(), result.tokensPerSecond(), result.ttft(0.5),
                            result.ttft(0.99), 1e3 * result.tpot(0.5), 1e3 * result.itl(0.99)));
                    PrefixHits hits = queue.prefixHits();
                    if (hits.queried() > 0) {
                        line.append(String.format(" (prefix cache: %.0f %% of prompt tokens)", 100.0 * hits.hit() / hits.queried()));
                    }
                }
                System.out.println(line);
            }
            System.out.printf("%2d clients, %d requests, medians of %d runs:%n", clients, load.size(), runs);
            for (int c = 0; c < contenders.size(); c++) {
                List<LoadGenerator.Result> r = results.get(c);
                System.out.printf("  %-24s %6.2f req/s %8.1f tok/s (%.2fx one at a time in process)  TTFT p50 %.3f s  p99 %.3f s"
                                + "  TPOT p50 %.1f ms  ITL p99 %.1f ms%n",
                        contenders.get(c).name(), median(r, LoadGenerator.Result::requestsPerSecond),
                        median(r, LoadGenerator.Result::tokensPerSecond), median(r, LoadGenerator.Result::tokensPerSecond) / sequential,
                        median(r, x -> x.ttft(0.5)), median(r, x -> x.ttft(0.99)), median(r, x -> 1e3 * x.tpot(0.5)),
                        median(r, x -> 1e3 * x.itl(0.99)));
            }
            if (!contenders.contains(continuousBatching)) {
                continue;
            }
            List<LoadGenerator.Result> continuous = results.get(contenders.indexOf(continuousBatching));
            double continuousRate = median(continuous, LoadGenerator.Result::tokensPerSecond);
            System.out.printf("  continuous against one at a time in process: tok/s %.2fx%n", continuousRate / sequential);
            for (Contender other : List.of(servedOneAtATime, withoutPrefixCache, dynamic.get(0), dynamic.get(1))) {
                if (contenders.contains(other)) {
                    List<LoadGenerator.Result> baseline = results.get(contenders.indexOf(other));
                    System.out.printf("  continuous against %s: tok/s %.2fx, TTFT p99 / its p50 = %.2f%n", other.name(),
                            continuousRate / median(baseline, LoadGenerator.Result::tokensPerSecond),
                            median(continuous, x -> x.ttft(0.99)) / median(baseline, x -> x.ttft(0.5)));
                }
            }
        }
    }

    /** One run of the load against {@code queue} (closed afterwards; the model stays open for the next run). */
    private static LoadGenerator.Result serve(GenerationQueue queue, InferenceModel model, List<LoadGenerator.Request> load, int clients,
                                              double rate, int run) throws Exception {
        try (queue; OpenAiServer server = OpenAiServer.start(new LocalModel(queue, model, SamplingDefaults.OPENAI), ModelPrompt.of(PromptFormat.ALPACA, model),
                new ServeOptions("127.0.0.1", 0, "bench", null, MAX_OUTPUT, MAX_OUTPUT, 1 << 20))) {
            return new LoadGenerator(server.baseUrl(), "bench").run(load, clients, rate, SEED + run);
        }
    }

    /**
     * Alpaca instructions (with their inputs) in a seeded order, each with an output length drawn from 16-256 and
     * cut to what the model's positions leave after the prompt.
     */
    static List<LoadGenerator.Request> requests(Tokenizer tokenizer, int maxPositions, int count) {
        List<AlpacaExample> examples = new ArrayList<>(Datasets.readAll(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"),
                AlpacaExample::fromJson));
        Random random = new Random(SEED);
        Collections.shuffle(examples, random);
        List<LoadGenerator.Request> requests = new ArrayList<>();
        for (AlpacaExample example : examples) {
            String message = AlpacaPrompt.render(example.instruction(), example.input());
            int promptTokens = tokenizer.encode(AlpacaPrompt.renderConversation(List.of(Turn.user(message))), true).length;
            int room = Math.min(MAX_OUTPUT, maxPositions - promptTokens);
            if (room >= MIN_OUTPUT) {
                requests.add(new LoadGenerator.Request(message, MIN_OUTPUT + random.nextInt(room - MIN_OUTPUT + 1)));
            }
            if (requests.size() == count) {
                break;
            }
        }
        return requests;
    }

    private static double sequentialTokensPerSecond(InferenceEngine engine, Tokenizer tokenizer, List<LoadGenerator.Request> requests) {
        Generator generator = new Generator(engine, tokenizer);
        long start = System.nanoTime();
        long tokens = 0;
        for (LoadGenerator.Request request : requests) {
            int[] prompt = promptIds(tokenizer, request);
            tokens += generator.generateFromIds(new int[][] {prompt},
                    GenerationConfig.greedy(request.outputTokens()).withStopAtEos(false)).get(0).tokenIds().length;
        }
        return tokens / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Output tokens per second of the load through {@code queue} (closed afterwards) with no server: {@code clients}
     * threads each submit a request as soon as their last one is done and wait for its result, as the load generator
     * does at an unlimited rate.
     */
    private static double continuousInProcess(GenerationQueue queue, Tokenizer tokenizer, List<LoadGenerator.Request> load,
                                              int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        long start = System.nanoTime();
        try (queue; ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < load.size(); ) {
                        LoadGenerator.Request request = load.get(i);
                        Job job = Job.of(promptIds(tokenizer, request), GenerationConfig.greedy(request.outputTokens()).withStopAtEos(false));
                        tokens.addAndGet(queue.submit(List.of(job)).get(0).result().get().generation().tokenIds().length);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return tokens.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** The contenders named in {@code keys} (comma-separated), or all of them for "all"; an unknown key is an error. */
    private static List<Contender> chosen(List<Contender> all, String keys) {
        if (keys.equals("all")) {
            return all;
        }
        List<String> wanted = Arrays.asList(keys.split(","));
        for (String key : wanted) {
            if (all.stream().noneMatch(c -> c.key().equals(key))) {
                throw new IllegalArgumentException("unknown contender '" + key + "': one of "
                        + all.stream().map(Contender::key).toList() + ", or all");
            }
        }
        return all.stream().filter(c -> wanted.contains(c.key())).toList();
    }

    /** The request's prompt as served: its instruction in the Alpaca template. */
    private static int[] promptIds(Tokenizer tokenizer, LoadGenerator.Request request) {
        return tokenizer.encode(AlpacaPrompt.renderConversation(List.of(Turn.user(request.instruction()))), true);
    }

    /** stories260K, or a random model of llama2.c's 15M shape (model init --preset small) written to and read from disk. */
    public static InferenceModel load(String which, InferenceOptions options) throws Exception {
        if (which.equals("15M")) {
            Path tokenizerFile = SharedData.path("models/llama2_tokenizer/tokenizer.model");
            Tokenizer llama2 = Tokenizers.load(tokenizerFile);
            Path dir = Files.createTempDirectory("instruct4j-bench-15M");
            ModelDirectory.save(Architectures.randomLlama(LlamaConfig.preset("small", llama2.vocabSize()), Precision.FP32,
                    new org.bytedeco.pytorch.Device("cpu"), 1), dir, tokenizerFile);
            return ModelDirectory.openForInference(dir, null, options);
        }
        return ModelDirectory.openForInference(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), options);
    }

    private static double median(List<LoadGenerator.Result> results, java.util.function.ToDoubleFunction<LoadGenerator.Result> value) {
        double[] values = results.stream().mapToDouble(value).sorted().toArray();
        return values[values.length / 2];
    }
}
