package org.instruct4j.bench.train;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.loss.TokenLoss;
import org.instruct4j.train.optim.AdamW;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.run.GradientStep;
import org.instruct4j.train.run.HugePages;
import org.instruct4j.train.run.Sums;

/**
 * Training tokens/s of the SFT step (forward, backward, fp32 gradient accumulation, clipping, AdamW: the recipes'
 * own {@link GradientStep}) on random Llamas: the 10.5M shape of ARCHITECTURE.md (vocab 8192, dim 256, 8 layers,
 * 8 heads, ffn 768) and llama2.c's 110M base shape (vocab 32000, dim 768, 12 layers), at a given sequence length and
 * batch, every position a target (as the PyTorch reference computes full logits). Prints per step the wall and CPU
 * time and the peak resident memory, then the medians, the model FLOP rate (6 x matmul parameters + 12 x layers x
 * sequence x width per token, the PaLM formula) and its fraction of the matmul peak measured in the same run
 * ({@link MatmulPeakBench}'s 2048^2 product, before and after the steps; the higher is taken). Tokens per
 * CPU-second is the number to compare on a shared machine: other processes stretch wall time far more than CPU time.
 * bench/python/train_throughput.py runs the same model and batch in PyTorch eager.
 *
 * <p>MODE is off (the default: the batch as one micro-batch, libtorch's intra-op threads spread over the cores), on
 * (--gradient-checkpointing: each layer recomputed in the backward pass), concurrent (--concurrent-micro-batches: the
 * batch split into one micro-batch per core, computed at once, each on one thread: how the recipes compute a step on a
 * CPU by default when it has that many micro-batches), or two of them joined by a comma
 * ({@code off,on}, the old {@code both}; {@code off,concurrent}): then the steps alternate between the two, a warm-up of
 * each first, so both see the same load, and each is summarised with the ratio of its tokens/s and peak RSS to the
 * first's. With checkpointing among them, the memory the previous step freed is given back to the system before each
 * step (or the smaller step would report the larger one's peak), so every step faults its memory in afresh; one mode
 * alone measures the steady state of a real run.
 *
 * <pre>bench/run train.TrainThroughputBench MODEL SEQ BATCH PRECISION [STEPS [MODE[,MODE]]]   (MODEL: 10m | 110m | 260k)</pre>
 */
public final class TrainThroughputBench {
    /**
     * Steps run before the measured ones. The first steps grow the process's heap to its working size and fault it in
     * (110M, seq 512, batch 4, bf16: steps 1 and 2 at 433 and 686 tokens/s, steps 3-8 at 606-721); the PyTorch
     * reference skips as many.
     */
    private static final int WARMUP = 3;

    private TrainThroughputBench() {}

    /** What the steps of one setting measured: tokens/s (wall and CPU time) and the peak RSS of each. */
    private record Series(String name, double[] rates, double[] cpuRates, long[] peaks) {
        Series(String name, int steps) {
            this(name, new double[steps], new double[steps], new long[steps]);
        }

        double median() {
            return median(rates);
        }

        double cpuMedian() {
            return median(cpuRates);
        }

        /** The middle value, or the mean of the two middle ones for an even count (as Python's statistics.median). */
        private static double median(double[] values) {
            double[] s = sorted(values);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        long peak() {
            return Arrays.stream(peaks).max().orElse(-1);
        }

        private static double[] sorted(double[] values) {
            double[] copy = values.clone();
            Arrays.sort(copy);
            return copy;
        }
    }

    public static void main(String[] args) {
        String name = args[0];
        int seq = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        Precision precision = Precision.parse(args[3]);
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        List<Mode> modes = Mode.parse(args.length > 5 ? args[5] : "off");
        HugePages.enable();
        BaseModels.useThreads(0);
        LlamaConfig config = shape(name, seq);
        double peakBefore = MatmulPeakBench.gflops(2048, precision.scalarType());
        Llama model = Architectures.randomLlama(config, Precision.FP32, new Device("cpu"), 0);
        FineTunedModel trained = FineTunedModel.full(model, precision, null);
        AdamW optimizer = new AdamW(trained.weights().master().values(), 0.9, 0.999, 1e-8, 0.0);
        int cores = Runtime.getRuntime().availableProcessors();
        List<GradientStep> gradientSteps = modes.stream().map(mode -> new GradientStep(trained, optimizer, 1.0, 0)
                .concurrentMicroBatches(mode == Mode.CONCURRENT ? cores : 1)).toList();
        boolean trim = modes.size() > 1 && modes.contains(Mode.ON);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Random random = new Random(0);
        List<Series> series = modes.stream().map(mode -> new Series(mode.label, steps)).toList();
        int total = (WARMUP + steps) * modes.size();
        for (int step = 0; step < total; step++) {
            int mode = step % modes.size();
            trained.checkpointActivations(modes.get(mode) == Mode.ON);
            List<List<EncodedExample>> rows = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int[] tokens = random.ints(seq + 1, 3, config.vocabSize()).toArray();
                tokens[0] = 1;
                rows.add(List.of(EncodedExample.afterPrompt(tokens, 1, false, b)));
            }
            long targets = (long) batch * seq;
            if (trim) {
                returnFreedMemory();
            }
            int parts = modes.get(mode) == Mode.CONCURRENT ? Math.min(cores, batch) : 1;
            List<List<List<EncodedExample>>> microBatches = new ArrayList<>();
            for (int m = 0; m < parts; m++) {
                microBatches.add(rows.subList(m * batch / parts, (m + 1) * batch / parts));
            }
            long cpuBefore = os.getProcessCpuTime();
            GradientStep.Outcome result = gradientSteps.get(mode).run(step, 1e-4, microBatches, targets, new Sums(), (micro, sums) -> {
                SequenceBatch sequences = SequenceBatch.of(micro, 0, false, trained.model().device());
                sums.add(Sums.INPUT_TOKENS, sequences.inputTokens());
                return TokenLoss.sum(trained.model(), sequences);
            });
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            double tokens = result.sums().get(Sums.INPUT_TOKENS);
            int measured = step / modes.size() - WARMUP;
            if (measured >= 0) {
                Series s = series.get(mode);
                s.rates()[measured] = tokens / result.seconds();
                s.cpuRates()[measured] = tokens / cpu;
                s.peaks()[measured] = result.peakBytes();
            }
            System.err.printf("step %d (%s): loss %.4f, %.2f s (%.2f CPU-s), %.0f tokens/s, peak RSS %d MB%n", step,
                    series.get(mode).name(), result.sums().get(Sums.LOSS) / targets, result.seconds(), cpu,
                    tokens / result.seconds(), result.peakBytes() >> 20);
        }
        double peakAfter = MatmulPeakBench.gflops(2048, precision.scalarType());
        double flopsPerToken = 6.0 * matmulParameters(config) + 12.0 * config.numHiddenLayers() * seq * config.hiddenSize();
        double matmulPeak = Math.max(peakBefore, peakAfter);
        Series first = series.get(0);
        for (Series s : series) {
            double median = s.median();
            double achieved = median * flopsPerToken / 1e9;
            System.out.printf("%s seq %d batch %d %s threads %d, %s: median %.0f tokens/s over %d steps (min %.0f, max %.0f), "
                            + "%.0f tokens per CPU-second, peak RSS %d MB; %.1f MFLOP/token -> %.1f GFLOP/s = %.0f %% of the "
                            + "%s matmul peak measured in this run (%.1f before, %.1f after the steps)%n",
                    name, seq, batch, args[3], torch.get_num_threads(), s.name(), median, steps, Arrays.stream(s.rates()).min().orElse(0),
                    Arrays.stream(s.rates()).max().orElse(0), s.cpuMedian(), s.peak() >> 20, flopsPerToken / 1e6, achieved,
                    100 * achieved / matmulPeak, args[3], peakBefore, peakAfter);
            if (s != first) {
                System.out.printf("%s / %s: tokens/s %.2fx, tokens per CPU-second %.2fx, peak RSS %.2fx%n", s.name(),
                        first.name(), median / first.median(), s.cpuMedian() / first.cpuMedian(), (double) s.peak() / first.peak());
            }
        }
    }

    /** How a step is run: see the class comment. */
    private enum Mode {
        OFF("plain"), ON("checkpointed"), CONCURRENT("concurrent");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        static List<Mode> parse(String text) {
            List<Mode> modes = new ArrayList<>();
            for (String name : (text.equals("both") ? "off,on" : text).split(",")) {
                modes.add(switch (name) {
                    case "off" -> OFF;
                    case "on" -> ON;
                    case "concurrent" -> CONCURRENT;
                    default -> throw new IllegalArgumentException("mode: off, on or concurrent, or two of them joined by a comma");
                });
            }
            return modes;
        }
    }

    private static final MethodHandle MALLOC_TRIM = Linker.nativeLinker().defaultLookup().find("malloc_trim")
            .map(f -> Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)))
            .orElse(null);

    /**
     * Gives the memory the last step freed back to the system (glibc's malloc_trim), so that the next step's peak RSS
     * is its own: malloc keeps freed blocks for reuse, and a step that needs less memory than the one before it would
     * otherwise report the larger one's peak (both settings alternate in one process).
     */
    private static void returnFreedMemory() {
        if (MALLOC_TRIM == null) {
            return;
        }
        try {
            int ignored = (int) MALLOC_TRIM.invokeExact(0L); // 1 when memory was released, 0 when none was free
        } catch (Throwable e) {
            throw new IllegalStateException("malloc_trim failed", e);
        }
    }

    /** Weights used in matrix products per token: every layer's projections and the output head (tied or not). */
    static long matmulParameters(LlamaConfig c) {
        long dim = c.hiddenSize(), q = (long) c.numAttentionHeads() * c.headDim(), kv = (long) c.numKeyValueHeads() * c.headDim();
        long perLayer = dim * q + 2 * dim * kv + q * dim + 3 * dim * c.intermediateSize();
        return c.numHiddenLayers() * perLayer + (long) c.vocabSize() * dim;
    }

    static LlamaConfig shape(String name, int seq) {
        return switch (name) {
            case "10m" -> LlamaConfig.llama(256, 768, 8, 8, 8, 8192, Math.max(seq, 512), true);
            case "110m" -> LlamaConfig.llama(768, 2048, 12, 12, 12, 32000, Math.max(seq, 1024), true);
            case "260k" -> LlamaConfig.llama(64, 172, 5, 8, 4, 512, 512, true);
            default -> throw new IllegalArgumentException("model: 10m, 110m or 260k");
        };
    }
}
