package org.instruct4j.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.bytedeco.pytorch.Device;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.checkpoint.Llama2cCheckpoint;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.engine.TorchEngine;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tokenizer.Llama2cTokenizerFile;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real stories260K on the CPU engine: libtorch's logits, rows batched as alone (llama2.c's output: Stories260KTest). */
class CpuStories260KTest {
    static final Path CHECKPOINT = SharedData.path("models/stories260K/stories260K.bin");
    static CpuEngine engine;
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        Llama2cCheckpoint.Mapped mapped = Llama2cCheckpoint.map(CHECKPOINT);
        engine = CpuEngine.open(mapped.config(), mapped.tensors(), Precision.FP32, Quantization.NONE);
        tokenizer = Llama2cTokenizerFile.read(SharedData.path("models/stories260K/tok512.bin"));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void logitsOfPrefillAndEveryDecodeStepMatchLibtorch() {
        Llama torch = Llama2cCheckpoint.load(CHECKPOINT, Precision.FP32, new Device("cpu"));
        InferenceEngine reference = new TorchEngine(torch);
        int[] prompt = tokenizer.encode("Once upon a time, there was a little dog", true);
        int[] next = tokenizer.encode(" who liked to run and play", false);
        try (Sequence ours = engine.newSequence(64); Sequence theirs = reference.newSequence(64)) {
            float[] ourAll = new float[prompt.length * engine.vocabSize()];
            float[] theirAll = new float[prompt.length * engine.vocabSize()];
            engine.forward(new Batch().addScored(ours, prompt, 0, prompt.length, ourAll));
            reference.forward(new Batch().addScored(theirs, prompt, 0, prompt.length, theirAll));
            assertClose(ourAll, theirAll);
            for (int token : next) {
                engine.forward(new Batch().add(ours, token));
                reference.forward(new Batch().add(theirs, token));
                assertClose(ours.logits(), theirs.logits());
            }
        }
    }

    /**
     * A second thread calling into the engine while another is inside a pass is refused with a clear error (it would
     * otherwise overwrite the pass's buffers): the one thread reads a long prompt pass after pass while the other
     * keeps trying single tokens, so their calls overlap; whichever comes second is refused, never corrupted.
     */
    @Test
    void aSecondThreadInsideTheEngineIsRefusedClearly() throws Exception {
        int[] prompt = tokenizer.encode("Once upon a time, there was a little dog who liked to run and play", true);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Runnable reader = () -> {
            try {
                for (int round = 0; round < 200 && failures.isEmpty(); round++) {
                    try (Sequence row = engine.newSequence(prompt.length)) {
                        engine.forward(new Batch().add(row, prompt, 0, prompt.length, true));
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            } finally {
                done.set(true);
            }
        };
        Runnable intruder = () -> {
            try {
                while (!done.get() && failures.isEmpty()) {
                    try (Sequence row = engine.newSequence(1)) {
                        engine.forward(new Batch().add(row, 1));
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        };
        Thread first = Thread.ofPlatform().name("reader").start(reader);
        Thread second = Thread.ofPlatform().name("intruder").start(intruder);
        first.join();
        second.join();

        assertThat(failures).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is inside the CPU engine").hasMessageContaining("one thread at a time"));
        try (Sequence row = engine.newSequence(8)) { // the engine is whole afterwards
            engine.forward(new Batch().add(row, 1));
            assertThat(row.logits()).doesNotContain(Float.NaN);
        }
    }

    @Test
    void aRowClosedOnAnotherThreadDuringAPassIsRefusedAndTheBlocksStayWhole() throws Exception {
        int[] prompt = tokenizer.encode("Once upon a time, there was a little dog who liked to run and play", true);
        long before = engine.kvBlocksInUse();
        BlockingQueue<Sequence> handed = new LinkedBlockingQueue<>();
        List<Sequence> refused = new CopyOnWriteArrayList<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread driver = Thread.ofPlatform().name("driver").start(() -> {
            try {
                for (int round = 0; round < 5_000 && refused.isEmpty(); round++) { // each pass takes blocks for a new row
                    Sequence row = engine.newSequence(prompt.length);
                    try {
                        engine.forward(new Batch().add(row, prompt, 0, prompt.length, true));
                    } catch (IllegalStateException closing) { // the closer was inside: refused the other way round
                        failures.add(closing);
                    }
                    handed.add(row);
                }
            } finally {
                handed.add(engine.newSequence(1)); // the last: tells the closer to stop
            }
        });
        Thread closer = Thread.ofPlatform().name("closer").start(() -> {
            try {
                for (Sequence row = handed.take(); row.capacity() > 1; row = handed.take()) {
                    try {
                        row.close();
                    } catch (IllegalStateException e) {
                        failures.add(e);
                        refused.add(row);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        driver.join();
        closer.join();

        assertThat(refused).isNotEmpty();
        assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is inside the CPU engine").hasMessageContaining("one thread at a time"));
        assertThat(failures).anySatisfy(e -> assertThat(e).hasMessageStartingWith("close on thread 'closer'"));
        refused.forEach(Sequence::close); // a refused row stayed open, and closes once the engine is free
        assertThat(engine.kvBlocksInUse()).isEqualTo(before);
    }

    @Test
    void rowsOfABatchDecodeAsTheyDoAlone() {
        Generator generator = new Generator(engine, tokenizer);
        List<String> prompts = List.of("Once upon a time", "Lily", "The little dog was very happy because");
        GenerationConfig config = GenerationConfig.greedy(40);

        List<Generation> batched = generator.generate(prompts, config);

        for (int i = 0; i < prompts.size(); i++) {
            Generation alone = generator.generate(prompts.get(i), config);
            assertThat(batched.get(i).tokenIds()).as("prompt %d", i).containsExactly(alone.tokenIds());
        }
        assertThat(batched.get(0).tokenIds()).isNotEqualTo(batched.get(1).tokenIds());
    }

    @Test
    void rowsWithTheirOwnSettingsAndSeedsDecodeAsTheyDoAlone() {
        Generator generator = new Generator(engine, tokenizer);
        int[][] prompts = {tokenizer.encode("Once upon a time", true), tokenizer.encode("Lily", true),
            tokenizer.encode("The dog", true)};
        List<GenerationConfig> configs = List.of(GenerationConfig.greedy(30).withSampling(1.0, 0.9, 0, 7),
                GenerationConfig.greedy(12), GenerationConfig.greedy(45).withSampling(0.7, 1.0, 20, 3).withRepetitionPenalty(1.3));

        List<Generation> batched = generator.generateFromIds(prompts, configs, null);

        for (int i = 0; i < prompts.length; i++) {
            Generation alone = generator.generateFromIds(new int[][] {prompts[i]}, List.of(configs.get(i)), null).get(0);
            assertThat(batched.get(i).tokenIds()).as("row %d", i).containsExactly(alone.tokenIds());
            assertThat(batched.get(i).text()).isEqualTo(alone.text());
        }
        assertThat(batched.get(1).tokenIds()).hasSize(12);
    }

    /**
     * A pass of many rows shares its row-by-row work (norms, rotations, cache writes, activations) with the thread
     * team ({@link RowSplit}); each row alone is below that size and done by one thread: the logits are the same bits.
     */
    @Test
    void aPassWhoseRowWorkIsSplitAcrossThreadsGivesTheLogitsOfEachRowAlone() {
        int rows = 4, length = 24, vocab = engine.vocabSize();
        assertThat((long) rows * length * 64).isGreaterThanOrEqualTo(RowSplit.PARALLEL_FLOATS);
        assertThat((long) length * 64).isLessThan(RowSplit.PARALLEL_FLOATS);
        Llama2cCheckpoint.Mapped mapped = Llama2cCheckpoint.map(CHECKPOINT);
        try (CpuEngine twoThreads = CpuEngine.open(mapped.config(), mapped.tensors(), InferenceOptions.defaults(), 2)) {
            int[][] prompts = new int[rows][];
            float[][] alone = new float[rows][length * vocab];
            for (int r = 0; r < rows; r++) {
                prompts[r] = java.util.Arrays.copyOf(tokenizer.encode("Once upon a time there were " + r
                        + " cats and a big red ball in the park near the house by the sea", true), length);
                try (Sequence row = twoThreads.newSequence(length)) {
                    twoThreads.forward(new Batch().addScored(row, prompts[r], 0, length, alone[r]));
                }
            }
            float[][] together = new float[rows][length * vocab];
            Sequence[] sequences = new Sequence[rows];
            Batch batch = new Batch();
            for (int r = 0; r < rows; r++) {
                sequences[r] = twoThreads.newSequence(length);
                batch.addScored(sequences[r], prompts[r], 0, length, together[r]);
            }
            twoThreads.forward(batch);
            for (int r = 0; r < rows; r++) {
                assertThat(together[r]).as("row %d", r).containsExactly(alone[r]);
                sequences[r].close();
            }
        }
    }

    static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
