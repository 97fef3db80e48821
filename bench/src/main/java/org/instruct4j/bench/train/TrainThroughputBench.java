package org.instruct4j.bench.train;

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
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.run.GradientStep;
import org.instruct4j.train.run.Sums;

/**
 * Training tokens/s of the SFT step (forward, backward, fp32 gradient accumulation, clipping, AdamW) on random
 * Llamas: the 10.5M shape of ARCHITECTURE.md (vocab 8192, dim 256, 8 layers, 8 heads, ffn 768) and llama2.c's
 * 110M base shape (vocab 32000, dim 768, 12 layers), at a given sequence length and batch, every position a
 * target (as the PyTorch reference computes full logits). Prints the median of the measured steps after
 * warm-up steps. bench/python/train_throughput.py runs the same model and batch in PyTorch eager.
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
        LlamaConfig config = shape(name, seq);
        Llama model = Architectures.randomLlama(config, Precision.FP32, new Device("cpu"), 0);
        FineTunedModel trained = FineTunedModel.full(model, precision, null);
        AdamW optimizer = new AdamW(trained.weights().master().values(), 0.9, 0.999, 1e-8, 0.0);
        GradientStep gradientStep = new GradientStep(trained, optimizer, 1.0, 0);
        Random random = new Random(0);
        double[] rates = new double[steps];
        for (int step = 0; step < WARMUP + steps; step++) {
            List<List<EncodedExample>> rows = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int[] tokens = random.ints(seq + 1, 3, config.vocabSize()).toArray();
                tokens[0] = 1;
                rows.add(List.of(EncodedExample.afterPrompt(tokens, 1, false, b)));
            }
            long targets = (long) batch * seq;
            GradientStep.Outcome result = gradientStep.run(step, 1e-4, List.of(rows), targets, new Sums(), (micro, sums) -> {
                SequenceBatch sequences = SequenceBatch.of(micro, 0, false, trained.model().device());
                sums.add(Sums.INPUT_TOKENS, sequences.inputTokens());
                return TokenLoss.sum(trained.model(), sequences);
            });
            double tokensPerSecond = result.sums().get(Sums.INPUT_TOKENS) / result.seconds();
            if (step >= WARMUP) {
                rates[step - WARMUP] = tokensPerSecond;
            }
            System.err.printf("step %d: loss %.4f, %.2f s, %.0f tokens/s%n", step, result.sums().get(Sums.LOSS) / targets,
                    result.seconds(), tokensPerSecond);
        }
        Arrays.sort(rates);
        System.out.printf("%s seq %d batch %d %s threads %d: median %.0f tokens/s over %d steps (min %.0f, max %.0f)%n",
                name, seq, batch, args[3], torch.get_num_threads(), rates[steps / 2], steps, rates[0], rates[steps - 1]);
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
