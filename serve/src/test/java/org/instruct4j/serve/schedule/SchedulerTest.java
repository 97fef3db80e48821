package org.instruct4j.serve.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching on the real stories260K model, on the CPU engine (which, like every engine, one thread at a
 * time drives: the expected results are computed before a scheduler starts): rows with different settings share steps and
 * each gets what it gets alone (on libtorch too); rows join a running batch, long prompts are read in chunks,
 * cancelled rows leave at once; the queue and the KV budget are bounded. Everything is checked on the scheduler's
 * own counters, never on time.
 */
class SchedulerTest {
    private static InferenceModel model;
    private static InferenceEngine engine;

    @BeforeAll
    static void load() {
        model = open(EngineChoice.JAVA);
        engine = model.engine();
    }

    private static InferenceModel open(EngineChoice choice) {
        return ModelDirectory.openForInference(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), InferenceOptions.defaults().withEngine(choice));
    }

    private static int[] prompt(String text) {
        return model.tokenizer().encode(text, true);
    }

    private static Generation alone(int[] prompt, GenerationConfig config) {
        return alone(engine, prompt, config);
    }

    private static Generation alone(InferenceEngine on, int[] prompt, GenerationConfig config) {
        return new Generator(on, model.tokenizer()).generateFromIds(new int[][] {prompt}, List.of(config), null).get(0);
    }

    private static Scheduler scheduler(SchedulerOptions options) {
        return new Scheduler(engine, model.tokenizer(), options);
    }

    @Test
    void rowsWithDifferentSettingsShareStepsAndEachGetsWhatItGetsAlone() throws Exception {
        rowsShareStepsAndEachGetsWhatItGetsAlone(engine);
    }

    @Test
    void onLibtorchToo() throws Exception {
        try (InferenceModel torch = open(EngineChoice.TORCH)) {
            rowsShareStepsAndEachGetsWhatItGetsAlone(torch.engine());
        }
    }

    private static void rowsShareStepsAndEachGetsWhatItGetsAlone(InferenceEngine on) throws Exception {
        List<int[]> prompts = List.of(prompt("Once upon a time"), prompt("Lily and Tom"), prompt("The sun"),
                prompt("One day a big dog"), prompt("Sue"));
        List<GenerationConfig> configs = List.of(
                GenerationConfig.greedy(20),
                GenerationConfig.greedy(60).withSampling(0.8, 0.9, 0, 7),
                GenerationConfig.greedy(35).withSampling(1.0, 1.0, 20, 3).withStopStrings(List.of(".")),
                GenerationConfig.greedy(50).withSampling(0.7, 1.0, 0, 11).withRepetitionPenalty(1.3),
                GenerationConfig.greedy(8));
        List<Generation> alone = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            alone.add(alone(on, prompts.get(i), configs.get(i)));
        }
        try (Scheduler scheduler = new Scheduler(on, model.tokenizer(), SchedulerOptions.defaults())) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                jobs.add(Job.of(prompts.get(i), configs.get(i)));
            }
            List<Ticket> tickets = scheduler.submit(jobs);
            for (int i = 0; i < prompts.size(); i++) {
                Generation expected = alone.get(i);
                Generation got = tickets.get(i).result().get().generation();
                assertThat(got.tokenIds()).as("row %d", i).containsExactly(expected.tokenIds());
                assertThat(got.text()).isEqualTo(expected.text());
                assertThat(got.finishReason()).isEqualTo(expected.finishReason());
            }
            assertThat(scheduler.stats().widestStep()).as("rows in one step").isEqualTo(prompts.size());
            assertThat(scheduler.stats().finished()).isEqualTo(prompts.size());
        }
    }

    @Test
    void promptsThatBeginAlikeReadTheirSharedStartOnceAndEachGetsWhatItGetsAlone() throws Exception {
        String template = "Below is a story about a little dog. Write what happens next.\n\n";
        int[] first = prompt(template + "Once upon a time");
        List<int[]> later = List.of(prompt(template + "Lily and Tom"), prompt(template + "The sun was hot"));
        List<GenerationConfig> configs = List.of(GenerationConfig.greedy(30).withSampling(0.8, 0.9, 0, 7),
                GenerationConfig.greedy(25).withSampling(1.0, 1.0, 20, 3));
        GenerationConfig firstConfig = GenerationConfig.greedy(20).withStopAtEos(false);
        Generation firstAlone = alone(first, firstConfig);
        // the next turn of a conversation: the first prompt, part of its answer, more text
        int[] turn = concat(first, java.util.Arrays.copyOf(firstAlone.tokenIds(), 10), model.tokenizer().encode(" The end", false));
        List<Generation> laterAlone = List.of(alone(later.get(0), configs.get(0)), alone(later.get(1), configs.get(1)));
        GenerationConfig turnConfig = GenerationConfig.greedy(15);
        Generation turnAlone = alone(turn, turnConfig);
        try (Scheduler scheduler = scheduler(SchedulerOptions.defaults())) {
            assertThat(scheduler.submit(List.of(Job.of(first, firstConfig))).get(0).result().get().generation().tokenIds())
                    .containsExactly(firstAlone.tokenIds());
            List<Ticket> tickets = scheduler.submit(List.of(Job.of(later.get(0), configs.get(0)), Job.of(later.get(1), configs.get(1))));
            for (int i = 0; i < later.size(); i++) {
                assertThat(tickets.get(i).result().get().generation().tokenIds()).as("row %d", i)
                        .containsExactly(laterAlone.get(i).tokenIds());
            }
            PrefixHits afterTemplate = scheduler.prefixHits();
            assertThat(afterTemplate.hit()).as("the template's tokens, found twice")
                    .isEqualTo(commonPrefix(first, later.get(0)) + commonPrefix(first, later.get(1)));
            assertThat(afterTemplate.queried()).isEqualTo(first.length - 1 + later.get(0).length - 1 + later.get(1).length - 1);

            assertThat(scheduler.submit(List.of(Job.of(turn, turnConfig))).get(0).result().get().generation().tokenIds())
                    .containsExactly(turnAlone.tokenIds());
            assertThat(scheduler.prefixHits().hit() - afterTemplate.hit()).as("the first prompt and the answer's first 10 tokens")
                    .isGreaterThanOrEqualTo(first.length + 10);
        }
        try (Scheduler off = scheduler(SchedulerOptions.defaults().withPrefixCacheBytes(0))) {
            off.submit(List.of(Job.of(first, firstConfig))).get(0).result().get();
            assertThat(off.submit(List.of(Job.of(first, firstConfig))).get(0).result().get().generation().tokenIds())
                    .containsExactly(firstAlone.tokenIds());
            assertThat(off.prefixHits()).isEqualTo(PrefixHits.NONE);
        }
    }

    @Test
    void theChoicesOfOneRequestReadTheirPromptOnceAndEachGetsWhatItGetsAlone() throws Exception {
        int[] shared = prompt("Once upon a time there was a little girl named Lily who lived in a small house");
        List<GenerationConfig> configs = List.of(GenerationConfig.greedy(12), GenerationConfig.greedy(20).withSampling(0.9, 0.95, 0, 5),
                GenerationConfig.greedy(16).withSampling(1.0, 1.0, 30, 6));
        List<Generation> alone = configs.stream().map(config -> alone(shared, config)).toList();
        try (Scheduler scheduler = scheduler(SchedulerOptions.defaults())) {
            List<Ticket> tickets = scheduler.submit(configs.stream().map(config -> Job.of(shared, config)).toList());
            for (int i = 0; i < configs.size(); i++) {
                assertThat(tickets.get(i).result().get().generation().tokenIds()).as("choice %d", i)
                        .containsExactly(alone.get(i).tokenIds());
            }
            assertThat(scheduler.prefixHits().hit()).as("the second and third choices copy all but the prompt's last token")
                    .isEqualTo(2L * (shared.length - 1));
        }
    }

    @Test
    void requestsWithThePromptOfOneNotYetReadWaitForItAndAreNotStrandedWhenItIsCancelled() throws Exception {
        int[] shared = prompt("Tom had a red kite and a big dog named Max");
        GenerationConfig config = GenerationConfig.greedy(10);
        Generation expected = alone(shared, config);
        CountDownLatch busy = new CountDownLatch(1);
        try (Scheduler scheduler = scheduler(SchedulerOptions.defaults().withMaxRows(1))) {
            Ticket blocker = scheduler.submit(List.of(new Job(prompt("Lily"), GenerationConfig.greedy(400).withStopAtEos(false), -1,
                    null, (piece, lp) -> busy.countDown()))).get(0);
            busy.await();
            Ticket first = scheduler.submit(List.of(Job.of(shared, config))).get(0);
            Ticket second = scheduler.submit(List.of(Job.of(shared, config))).get(0);
            Ticket third = scheduler.submit(List.of(Job.of(shared, config))).get(0);
            first.cancel(); // it never ran: the two that wait for it go on without it
            blocker.cancel();

            assertThat(second.result().get(60, java.util.concurrent.TimeUnit.SECONDS).generation().tokenIds())
                    .containsExactly(expected.tokenIds());
            assertThat(third.result().get(60, java.util.concurrent.TimeUnit.SECONDS).generation().tokenIds())
                    .containsExactly(expected.tokenIds());
            assertThat(scheduler.prefixHits().hit()).as("the second finds what the blocker read, the third what the second read")
                    .isEqualTo(commonPrefix(prompt("Lily"), shared) + shared.length - 1);
        }
    }

    private static int commonPrefix(int[] a, int[] b) {
        int i = 0;
        while (i < Math.min(a.length, b.length) && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    private static int[] concat(int[]... parts) {
        int[] all = new int[java.util.Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Test
    void aJobJoinsTheRunningBatchAndLeavesFirst() throws Exception {
        CountDownLatch longStarted = new CountDownLatch(5);
        try (Scheduler scheduler = scheduler(SchedulerOptions.defaults())) {
            Ticket longJob = scheduler.submit(List.of(new Job(prompt("Once upon a time"),
                    GenerationConfig.greedy(300).withStopAtEos(false), -1, null, (piece, lp) -> longStarted.countDown()))).get(0);
            longStarted.await();
            Ticket shortJob = scheduler.submit(List.of(Job.of(prompt("Lily"), GenerationConfig.greedy(5)))).get(0);

            assertThat(shortJob.result().get().generation().tokenIds()).hasSize(5);
            assertThat(longJob.result()).as("the long job still runs").isNotDone();
            assertThat(scheduler.stats().widestStep()).isEqualTo(2);
            assertThat(longJob.result().get().generation().tokenIds()).hasSize(300);
        }
    }

    @Test
    void aLongPromptIsReadInChunksWhileOtherRowsKeepDecoding() throws Exception {
        AtomicInteger decodedBeforeFirstToken = new AtomicInteger(-1);
        AtomicInteger decoded = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(3);
        int[] longPrompt = prompt("Once upon a time there was a little girl named Lily. ".repeat(12));
        assertThat(longPrompt.length).isGreaterThan(160);
        Generation expected = alone(longPrompt, GenerationConfig.greedy(4));
        try (Scheduler scheduler = scheduler(new SchedulerOptions(8, 65_536, 16, 8, SchedulerOptions.DEFAULT_PREFIX_CACHE_BYTES))) {
            Ticket decoding = scheduler.submit(List.of(new Job(prompt("Tom"), GenerationConfig.greedy(200).withStopAtEos(false), -1,
                    null, (piece, lp) -> {
                        decoded.incrementAndGet();
                        started.countDown();
                    }))).get(0);
            started.await();
            int before = decoded.get();
            Ticket reading = scheduler.submit(List.of(new Job(longPrompt, GenerationConfig.greedy(4), -1, null,
                    (piece, lp) -> decodedBeforeFirstToken.compareAndSet(-1, decoded.get())))).get(0);

            assertThat(reading.result().get().generation().tokenIds()).containsExactly(expected.tokenIds());
            assertThat(decodedBeforeFirstToken.get() - before)
                    .as("tokens the other row decoded while the long prompt was read 16 at a time")
                    .isGreaterThanOrEqualTo(longPrompt.length / 16 - 2);
            decoding.cancel();
        }
    }

    private static void awaitTicket(CountDownLatch submitted) {
        try {
            submitted.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aListenerThatFailsEndsItsOwnRowOnly() throws Exception {
        try (Scheduler scheduler = scheduler(SchedulerOptions.defaults())) {
            GenerationConfig some = GenerationConfig.greedy(20).withStopAtEos(false);
            List<Ticket> tickets = scheduler.submit(List.of(
                    new Job(prompt("Tom"), some, -1, null, (piece, lp) -> {
                        throw new IllegalStateException("the client's queue is gone");
                    }),
                    Job.of(prompt("Sue"), some)));
            assertThatThrownBy(() -> tickets.get(0).result().get()).hasRootCauseMessage("the client's queue is gone");
            assertThat(tickets.get(1).result().get().generation().tokenIds()).hasSize(20);
        }
    }

    @Test
    void aCancelledRowLeavesBeforeTheNextStep() throws Exception {
        AtomicReference<Ticket> self = new AtomicReference<>();
        CountDownLatch submitted = new CountDownLatch(1); // the scheduler may reach step 3 before submit returns
        AtomicInteger steps = new AtomicInteger();
        CountDownLatch twoTokens = new CountDownLatch(2);
        try (Scheduler scheduler = scheduler(SchedulerOptions.defaults())) {
            // cancelled from its own listener, between two steps: it takes part in no further step
            Ticket ticket = scheduler.submit(List.of(new Job(prompt("Once upon a time"), GenerationConfig.greedy(300).withStopAtEos(false),
                    -1, null, (piece, lp) -> {
                        if (steps.incrementAndGet() == 3) {
                            awaitTicket(submitted);
                            self.get().cancel();
                        }
                    }))).get(0);
            self.set(ticket);
            submitted.countDown();
            assertThatThrownBy(() -> ticket.result().get()).hasCauseInstanceOf(CancellationException.class);
            assertThat(steps.get()).isEqualTo(3);
            assertThat(scheduler.stats().cancelled()).isEqualTo(1);
            assertThat(scheduler.stats().stepsAfterCancel()).isZero();

            // cancelled from another thread while it runs: at most the step already under way. Its second token's
            // listener holds the scheduler until the cancel is in, so the count below does not depend on the
            // engine's speed
            CountDownLatch cancelIssued = new CountDownLatch(1);
            Ticket other = scheduler.submit(List.of(new Job(prompt("Lily"), GenerationConfig.greedy(300).withStopAtEos(false),
                    -1, null, (piece, lp) -> {
                        twoTokens.countDown();
                        if (twoTokens.getCount() == 0) {
                            awaitTicket(cancelIssued);
                        }
                    }))).get(0);
            twoTokens.await();
            other.cancel();
            cancelIssued.countDown();
            assertThatThrownBy(() -> other.result().get()).hasCauseInstanceOf(CancellationException.class);
            assertThat(scheduler.stats().cancelled()).isEqualTo(2);
            assertThat(scheduler.stats().stepsAfterCancel()).isLessThanOrEqualTo(1);
            assertThat(scheduler.stats().generatedTokens()).isLessThan(100);
        }
    }

    @Test
    void theQueueIsBoundedAndTheKvBudgetHoldsRowsBack() throws Exception {
        GenerationConfig endless = GenerationConfig.greedy(200).withStopAtEos(false);
        try (Scheduler scheduler = scheduler(new SchedulerOptions(1, 65_536, 512, 1, SchedulerOptions.DEFAULT_PREFIX_CACHE_BYTES))) {
            List<Ticket> admitted = scheduler.submit(List.of(Job.of(prompt("Tom"), endless), Job.of(prompt("Sue"), endless)));
            assertThatThrownBy(() -> scheduler.submit(List.of(Job.of(prompt("Ben"), endless))))
                    .isInstanceOfSatisfying(QueueFullException.class, e -> assertThat(e.retryAfter()).isPositive());
            admitted.forEach(Ticket::cancel);
        }
        GenerationConfig sixty = GenerationConfig.greedy(56).withStopAtEos(false);
        int[] a = prompt("Tom");
        int[] b = prompt("Sue");
        Generation aAlone = alone(a, sixty);
        Generation bAlone = alone(b, sixty);
        try (Scheduler scheduler = scheduler(new SchedulerOptions(8, 100, 512, 8, SchedulerOptions.DEFAULT_PREFIX_CACHE_BYTES))) {
            List<Ticket> tickets = scheduler.submit(List.of(Job.of(a, sixty), Job.of(b, sixty)));
            assertThat(tickets.get(0).result().get().generation().tokenIds()).containsExactly(aAlone.tokenIds());
            assertThat(tickets.get(1).result().get().generation().tokenIds()).containsExactly(bAlone.tokenIds());
            assertThat(scheduler.stats().widestStep()).as("two rows of 60 tokens never fit in 100 together").isEqualTo(1);
            assertThatThrownBy(() -> scheduler.submit(List.of(Job.of(a, GenerationConfig.greedy(120)))))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("budget of 100");
        }
    }

    @Test
    void logprobsAreTheRawModelsAndTheGreedyTokenIsTheMostLikely() throws ExecutionException, InterruptedException {
        try (Scheduler scheduler = scheduler(SchedulerOptions.defaults())) {
            JobResult result = scheduler.submit(List.of(new Job(prompt("Once upon a time"), GenerationConfig.greedy(12), 3, null,
                    JobListener.NONE))).get(0).result().get();
            assertThat(result.logprobs()).hasSize(result.generation().tokenIds().length);
            for (int i = 0; i < result.logprobs().size(); i++) {
                TokenLogprobs lp = result.logprobs().get(i);
                assertThat(lp.token()).isEqualTo(result.generation().tokenIds()[i]).isEqualTo(lp.topTokens()[0]);
                assertThat(lp.logprob()).isEqualTo(lp.topLogprobs()[0]).isNegative();
                assertThat(lp.topLogprobs()[1]).isLessThanOrEqualTo(lp.topLogprobs()[0]);
                double mass = Math.exp(lp.topLogprobs()[0]) + Math.exp(lp.topLogprobs()[1]) + Math.exp(lp.topLogprobs()[2]);
                assertThat(mass).isLessThanOrEqualTo(1.0 + 1e-5);
            }
        }
    }
}
