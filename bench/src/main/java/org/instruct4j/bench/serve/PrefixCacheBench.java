package org.instruct4j.bench.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.serve.schedule.Job;
import org.instruct4j.serve.schedule.Scheduler;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.serve.schedule.Ticket;
import org.instruct4j.testkit.SharedData;

/**
 * What the prefix cache saves where prompts share a long start: a conversation's system prompt. One client asks
 * {@code requests} questions one after another (Alpaca instructions), each after the same system prompt of about
 * {@code systemTokens} tokens (Alpaca answers joined), {@code maxTokens} greedy tokens each, on the continuous
 * scheduler in process (no HTTP), with the prefix cache and without it, taking turns; the first request of each run
 * finds an empty cache. Prints per run the time to first token (mean and p50 over the requests) and the whole run's
 * seconds, then the medians and their ratios.
 *
 * <p>Usage: {@code PrefixCacheBench [model=15M|260K] [systemTokens=200] [requests=16] [runs=5] [maxTokens=16]}
 */
public final class PrefixCacheBench {
    private PrefixCacheBench() {}

    /** One run's times: mean and median time to first token, and the whole run, in seconds. */
    private record Run(double meanTtft, double medianTtft, double seconds) {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "15M";
        int systemTokens = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int maxTokens = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        try (InferenceModel model = ServeLoadBench.load(which, InferenceOptions.defaults().withEngine(EngineChoice.JAVA))) {
            List<int[]> prompts = prompts(model.tokenizer(), systemTokens, requests, model.engine().maxPositions() - maxTokens);
            if (prompts.size() < requests) {
                throw new IllegalArgumentException("only " + prompts.size() + " prompts of " + systemTokens + " system tokens and a question "
                        + "leave room for " + maxTokens + " more in the model's " + model.engine().maxPositions() + " positions");
            }
            System.out.printf("model %s on %s; %d requests one after another, system prompt of %d tokens, prompts %d-%d tokens, "
                            + "%d greedy tokens each%n", which, model.engine().description(), requests, systemTokens,
                    prompts.stream().mapToInt(p -> p.length).min().orElse(0), prompts.stream().mapToInt(p -> p.length).max().orElse(0),
                    maxTokens);
            GenerationConfig config = GenerationConfig.greedy(maxTokens).withStopAtEos(false);
            SchedulerOptions on = SchedulerOptions.defaults(), off = on.withPrefixCacheBytes(0);
            run(model, on, prompts, config); // warm-up of both, unmeasured
            run(model, off, prompts, config);
            List<Run> cached = new ArrayList<>(), uncached = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                uncached.add(run(model, off, prompts, config));
                cached.add(run(model, on, prompts, config));
                System.out.printf("  run %d: without the cache TTFT mean %.4f s p50 %.4f s, run %.3f s | with it TTFT mean %.4f s "
                                + "p50 %.4f s, run %.3f s%n", r + 1, uncached.getLast().meanTtft(), uncached.getLast().medianTtft(),
                        uncached.getLast().seconds(), cached.getLast().meanTtft(), cached.getLast().medianTtft(), cached.getLast().seconds());
            }
            double ttftOff = median(uncached, Run::medianTtft), ttftOn = median(cached, Run::medianTtft);
            double secondsOff = median(uncached, Run::seconds), secondsOn = median(cached, Run::seconds);
            System.out.printf("medians of %d runs: TTFT p50 %.4f s without the cache, %.4f s with it (%.2fx faster); a run %.3f s "
                    + "against %.3f s (%.2fx faster)%n", runs, ttftOff, ttftOn, ttftOff / ttftOn, secondsOff, secondsOn, secondsOff / secondsOn);
        }
    }

    /** The system prompt (BOS, then Alpaca answers joined, cut to {@code systemTokens}) and one instruction after it each. */
    private static List<int[]> prompts(Tokenizer tokenizer, int systemTokens, int count, int longest) {
        List<AlpacaExample> examples = Datasets.readAll(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), AlpacaExample::fromJson);
        StringBuilder system = new StringBuilder();
        for (int i = 0; tokenizer.encode(system.toString(), true).length < systemTokens && i < examples.size(); i++) {
            system.append(examples.get(i).output()).append('\n');
        }
        int[] head = Arrays.copyOf(tokenizer.encode(system.toString(), true), systemTokens);
        List<int[]> prompts = new ArrayList<>();
        for (int i = examples.size() - 1; prompts.size() < count && i >= 0; i--) {
            int[] question = tokenizer.encode("\n\nQuestion: " + examples.get(i).instruction() + "\nAnswer:", false);
            int[] prompt = Arrays.copyOf(head, head.length + question.length);
            System.arraycopy(question, 0, prompt, head.length, question.length);
            if (prompt.length <= longest) {
                prompts.add(prompt);
            }
        }
        return prompts;
    }

    private static Run run(InferenceModel model, SchedulerOptions options, List<int[]> prompts, GenerationConfig config) throws Exception {
        double[] ttft = new double[prompts.size()];
        long start = System.nanoTime();
        try (Scheduler scheduler = new Scheduler(model.engine(), model.tokenizer(), options)) {
            for (int i = 0; i < prompts.size(); i++) {
                long sent = System.nanoTime();
                long[] first = {0};
                Ticket ticket = scheduler.submit(List.of(new Job(prompts.get(i), config, -1, null, (piece, logprobs) -> {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                }))).getFirst();
                ticket.result().get();
                ttft[i] = (first[0] - sent) / 1e9;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] sorted = ttft.clone();
        Arrays.sort(sorted);
        return new Run(Arrays.stream(ttft).average().orElse(0), sorted[sorted.length / 2], seconds);
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        return values[values.length / 2];
    }
}
