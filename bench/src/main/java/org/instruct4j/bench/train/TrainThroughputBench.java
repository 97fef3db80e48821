package org.instruct4j.bench.train;

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
 * <pre>bench/run train.TrainThroughputBench MODEL SEQ BATCH PRECISION [STEPS]   (MODEL: 10m | 110m | 260k)</pre>
 */
public final class TrainThroughputBench {
    private static final int WARMUP = 1;

    private TrainThroughputBench() {}

    public static void main(String[] args) {
        String name = args[0];
        int seq = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        Precision precision = Precision.parse(args[3]);
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        HugePages.enable();
        BaseModels.useThreads(0);
        LlamaConfig config = shape(name, seq);
        double peakBefore = MatmulPeakBench.gflops(2048, precision.scalarType());
        Llama model = Architectures.randomLlama(config, Precision.FP32, new Device("cpu"), 0);
        FineTunedModel trained = FineTunedModel.full(model, precision, null);
        AdamW optimizer = new AdamW(trained.weights().master().values(), 0.9, 0.999, 1e-8, 0.0);
        GradientStep gradientStep = new GradientStep(trained, optimizer, 1.0, 0);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Random random = new Random(0);
        double[] rates = new double[steps];
        double[] cpuRates = new double[steps];
        long peak = 0;
        for (int step = 0; step < WARMUP + steps; step++) {
            List<List<EncodedExample>> rows = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int[] tokens = random.ints(seq + 1, 3, config.vocabSize()).toArray();
                tokens[0] = 1;
                rows.add(List.of(EncodedExample.afterPrompt(tokens, 1, false, b)));
            }
            long targets = (long) batch * seq;
            long cpuBefore = os.getProcessCpuTime();
            GradientStep.Outcome result = gradientStep.run(step, 1e-4, List.of(rows), targets, new Sums(), (micro, sums) -> {
                SequenceBatch sequences = SequenceBatch.of(micro, 0, false, trained.model().device());
                sums.add(Sums.INPUT_TOKENS, sequences.inputTokens());
                return TokenLoss.sum(trained.model(), sequences);
            });
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            double tokens = result.sums().get(Sums.INPUT_TOKENS);
            if (step >= WARMUP) {
                rates[step - WARMUP] = tokens / result.seconds();
                cpuRates[step - WARMUP] = tokens / cpu;
                peak = Math.max(peak, result.peakBytes());
            }
            System.err.printf("step %d: loss %.4f, %.2f s (%.2f CPU-s), %.0f tokens/s, peak RSS %d MB%n", step,
                    result.sums().get(Sums.LOSS) / targets, result.seconds(), cpu, tokens / result.seconds(), result.peakBytes() >> 20);
        }
        double peakAfter = MatmulPeakBench.gflops(2048, precision.scalarType());
        Arrays.sort(rates);
        Arrays.sort(cpuRates);
        double median = rates[steps / 2];
        double flopsPerToken = 6.0 * matmulParameters(config) + 12.0 * config.numHiddenLayers() * seq * config.hiddenSize();
        double achieved = median * flopsPerToken / 1e9;
        double matmulPeak = Math.max(peakBefore, peakAfter);
        System.out.printf("%s seq %d batch %d %s threads %d: median %.0f tokens/s over %d steps (min %.0f, max %.0f), "
                        + "%.0f tokens per CPU-second, peak RSS %d MB; %.1f MFLOP/token -> %.1f GFLOP/s = %.0f %% of the "
                        + "%s matmul peak measured in this run (%.1f before, %.1f after the steps)%n",
                name, seq, batch, args[3], torch.get_num_threads(), median, steps, rates[0], rates[steps - 1],
                cpuRates[steps / 2], peak >> 20, flopsPerToken / 1e6, achieved, 100 * achieved / matmulPeak, args[3],
                peakBefore, peakAfter);
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
