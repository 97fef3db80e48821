package org.instruct4j.bench.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.Attention;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.loss.TokenLoss;
import org.instruct4j.train.optim.AdamW;
import org.instruct4j.train.run.BaseModels;
import org.instruct4j.train.run.FineTunedModel;
import org.instruct4j.train.run.HugePages;

/**
 * Where the milliseconds of a training step go. Part 1 runs the recipes' step (the same calls as GradientStep) with a
 * clock between its phases: the layers' forward pass, the output head and loss (which also computes the head's
 * gradients, chunk by chunk), the layers' backward pass, the fp32 gradient accumulation and the optimizer (clipping,
 * AdamW, copying the masters back to the working weights), with the minor page faults of each step. Part 2 times each
 * kind of work of one layer at the model's shapes and precision, forward and backward, times the number of layers:
 * the seven matrix products (and their GFLOP/s, the ceiling the step's own GEMM shapes reach here), the attention core
 * in its forms (written out over the whole score matrix, in query-row blocks of 32/64/128, libtorch's SDPA with a
 * mask and with is_causal), and the elementwise work (two RMSNorms, RoPE, SiLU-times-up, residual adds; together, then
 * each part alone). Part 3 is the
 * 2048^2 matmul peak. Medians of STEPS (part 1) and 7 (part 2, the works taking turns) repetitions after a warm-up.
 *
 * <pre>bench/run train.StepProfileBench MODEL SEQ BATCH PRECISION [STEPS [no-sdpa]]   (MODEL: 10m | 110m)</pre>
 */
public final class StepProfileBench {
    private static final Device CPU = new Device("cpu");

    private StepProfileBench() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int seq = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        Precision precision = Precision.parse(args[3]);
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        boolean sdpa = args.length <= 5 || !args[5].equals("no-sdpa");
        HugePages.enable();
        BaseModels.useThreads(0);
        LlamaConfig config = TrainThroughputBench.shape(name, seq);
        Llama model = Architectures.randomLlama(config, Precision.FP32, CPU, 0);
        FineTunedModel trained = FineTunedModel.full(model, precision, null);
        AdamW optimizer = new AdamW(trained.weights().master().values(), 0.9, 0.999, 1e-8, 0.0);
        trained.training(true);
        Random random = new Random(0);
        String[] phases = {"forward (layers)", "head + loss (+ head backward)", "backward (layers)", "grad accumulation",
                "clip + AdamW + publish"};
        double[][] times = new double[phases.length][steps];
        double[] faults = new double[steps];
        double[] totals = new double[steps];
        for (int step = -1; step < steps; step++) {
            List<List<EncodedExample>> rows = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int[] tokens = random.ints(seq + 1, 3, config.vocabSize()).toArray();
                tokens[0] = 1;
                rows.add(List.of(EncodedExample.afterPrompt(tokens, 1, false, b)));
            }
            long faultsBefore = minorFaults();
            double[] t = new double[phases.length];
            long began = System.nanoTime(), mark = began;
            try (PointerScope scope = new PointerScope()) {
                SequenceBatch sequences = SequenceBatch.of(rows, 0, false, CPU);
                Tensor hidden = trained.model().hiddenStates(sequences.inputIds(), sequences.positions(), sequences.segments());
                hidden.sum().item_double(); // ops are synchronous on the CPU; this only makes sure
                t[0] = lap(mark);
                mark = System.nanoTime();
                Tensor sum = TokenLoss.sumOverHidden(trained.model(), hidden, sequences);
                double loss = sum.item_double();
                t[1] = lap(mark);
                mark = System.nanoTime();
                sum.div(new Scalar((double) batch * seq)).backward();
                trained.completeBackward();
                t[2] = lap(mark);
                if (step == -1) {
                    System.err.printf("warm-up loss %.4f%n", loss / batch / seq);
                }
            }
            mark = System.nanoTime();
            trained.weights().accumulateGradients();
            t[3] = lap(mark);
            mark = System.nanoTime();
            trained.weights().update(optimizer, 1e-4, 1.0);
            t[4] = lap(mark);
            double total = lap(began);
            if (step >= 0) {
                for (int p = 0; p < phases.length; p++) {
                    times[p][step] = t[p];
                }
                totals[step] = total;
                faults[step] = minorFaults() - faultsBefore;
            }
            System.err.printf("step %d: %.0f ms%n", step, total * 1e3);
        }
        double total = median(totals);
        System.out.printf("%s seq %d batch %d %s threads %d: step %.0f ms = %.0f tokens/s, %.0f minor page faults per step%n",
                name, seq, batch, args[3], torch.get_num_threads(), total * 1e3, batch * seq / total, median(faults));
        for (int p = 0; p < phases.length; p++) {
            double m = median(times[p]);
            System.out.printf("  %-32s %8.1f ms  %5.1f %%%n", phases[p], m * 1e3, 100 * m / total);
        }
        components(config, seq, batch, precision.scalarType(), total, sdpa);
        headAndLoss(trained, config, seq, batch, random, total);
        System.out.printf("matmul 2048^2 %s peak: %.1f GFLOP/s%n", args[3], MatmulPeakBench.gflops(2048, precision.scalarType()));
    }

    /** Part 2: one layer's kinds of work, forward and backward, times the number of layers. */
    private static void components(LlamaConfig c, long seq, long batch, ScalarType dtype, double stepSeconds, boolean sdpa) {
        long dim = c.hiddenSize(), heads = c.numAttentionHeads(), kvHeads = c.numKeyValueHeads(), hd = c.headDim();
        long ffn = c.intermediateSize(), layers = c.numHiddenLayers(), tokens = batch * seq;
        Map<String, Work> results = new LinkedHashMap<>();
        // the seven projections: q, k, v, o [dim x dim-ish], gate, up [ffn x dim], down [dim x ffn]
        long[][] shapes = {{heads * hd, dim}, {kvHeads * hd, dim}, {kvHeads * hd, dim}, {dim, heads * hd}, {ffn, dim},
                {ffn, dim}, {dim, ffn}};
        double gemmFlops = 0;
        for (long[] s : shapes) {
            gemmFlops += 6.0 * tokens * s[0] * s[1];
        }
        results.put("7 projections (GEMM)", new Work(() -> {
            List<Tensor> ins = new ArrayList<>();
            for (long[] s : shapes) {
                ins.add(torch.randn(tokens, s[1]).to(dtype).requires_grad_(true));
                ins.add(torch.randn(s[0], s[1]).mul(new Scalar(0.02)).to(dtype).requires_grad_(true));
            }
            return ins.toArray(Tensor[]::new);
        }, in -> {
            Tensor[] outs = new Tensor[shapes.length];
            for (int i = 0; i < outs.length; i++) {
                outs[i] = torch.linear(in[2 * i], in[2 * i + 1]);
            }
            return outs;
        }));
        Tensor q0 = torch.randn(batch, seq, heads, hd).to(dtype);
        Tensor k0 = torch.randn(batch, kvHeads, seq, hd).to(dtype);
        Tensor v0 = torch.randn(batch, kvHeads, seq, hd).to(dtype);
        Tensor blocked = Attention.blockedAcrossSegments(null, seq, 0, CPU);
        results.put("attention, written out", new Work(() -> leaves(q0, k0, v0), in -> attention(in, (q, k, v) -> Attention.attendWrittenOut(q, k, v, blocked))));
        for (long rowBlock : new long[] {32, 64, 128}) {
            if (seq >= 2 * rowBlock) {
                results.put("attention, row blocks of " + rowBlock, new Work(() -> leaves(q0, k0, v0), in -> attention(in,
                        (q, k, v) -> Attention.attendInRowBlocks(q, k, v, blocked, 0, rowBlock))));
            }
        }
        Map<String, Work> slow = new LinkedHashMap<>();
        slow.put("attention, SDPA with mask", new Work(() -> leaves(q0, k0, v0), in -> attention(in, (q, k, v) -> Attention.attendFused(q, k, v, blocked))));
        slow.put("attention, SDPA is_causal", new Work(() -> leaves(q0, k0, v0), in -> attention(in, (q, k, v) -> torch.scaled_dot_product_attention(
                q.transpose(1, 2), k, v, new TensorOptional(), 0.0, true, new DoubleOptional(), false).transpose(1, 2)
                .reshape(batch, seq, heads * hd))));
        Tensor angles = torch.randn(batch, seq, 1, hd).to(dtype);
        results.put("elementwise (2 RMSNorm, RoPE, SiLU*up, 2 adds)", new Work(() -> new Tensor[] {
            torch.randn(batch, seq, dim).to(dtype).requires_grad_(true), torch.ones(dim).to(dtype).requires_grad_(true),
            torch.randn(batch, seq, heads, hd).to(dtype).requires_grad_(true),
            torch.randn(batch, seq, kvHeads, hd).to(dtype).requires_grad_(true),
            torch.randn(batch, seq, ffn).to(dtype).requires_grad_(true), torch.randn(batch, seq, ffn).to(dtype).requires_grad_(true)
        }, in -> {
            Tensor x = in[0], w = in[1];
            Tensor n1 = torch.rms_norm(x, new long[] {dim}, new TensorOptional(w), new DoubleOptional(1e-5));
            Tensor n2 = torch.rms_norm(x.add(n1), new long[] {dim}, new TensorOptional(w), new DoubleOptional(1e-5));
            return new Tensor[] {n2.add(x), rope(in[2], angles), rope(in[3], angles), torch.silu(in[4]).mul(in[5])};
        }));
        // the same work in its three parts, to show which one a fused kernel would pay back first
        results.put("  of which 2 RMSNorm and 2 adds", new Work(() -> new Tensor[] {
            torch.randn(batch, seq, dim).to(dtype).requires_grad_(true), torch.ones(dim).to(dtype).requires_grad_(true)
        }, in -> {
            Tensor x = in[0], w = in[1];
            Tensor n1 = torch.rms_norm(x, new long[] {dim}, new TensorOptional(w), new DoubleOptional(1e-5));
            return new Tensor[] {torch.rms_norm(x.add(n1), new long[] {dim}, new TensorOptional(w), new DoubleOptional(1e-5)).add(x)};
        }));
        results.put("  of which RoPE of q and k", new Work(() -> new Tensor[] {
            torch.randn(batch, seq, heads, hd).to(dtype).requires_grad_(true),
            torch.randn(batch, seq, kvHeads, hd).to(dtype).requires_grad_(true)
        }, in -> new Tensor[] {rope(in[0], angles), rope(in[1], angles)}));
        results.put("  of which SiLU(gate) * up", new Work(() -> new Tensor[] {
            torch.randn(batch, seq, ffn).to(dtype).requires_grad_(true), torch.randn(batch, seq, ffn).to(dtype).requires_grad_(true)
        }, in -> new Tensor[] {torch.silu(in[0]).mul(in[1])}));
        Map<String, Double> seconds = time(results, 7);
        if (sdpa) {
            seconds.putAll(time(slow, 2)); // 20-50x slower than the written-out form in bf16: 2 rounds only
        }
        double gemm = seconds.get("7 projections (GEMM)");
        System.out.printf("one layer's work x %d layers, forward + backward (%s, %d threads):%n", layers, dtype, torch.get_num_threads());
        for (var e : seconds.entrySet()) {
            double all = e.getValue() * layers;
            System.out.printf("  %-48s %8.1f ms  %5.1f %% of the step%n", e.getKey(), all * 1e3, 100 * all / stepSeconds);
        }
        System.out.printf("  the step's GEMM shapes run at %.1f GFLOP/s (the ceiling for its matrix products here)%n",
                gemmFlops / gemm / 1e9);
    }

    /**
     * Part 2b: the output head and loss over the whole batch's hidden states (forward and backward, the head's gradient
     * accumulated in fp32 over the chunks) in chunks of 8M, 32M and 128M logits, taking turns.
     */
    private static void headAndLoss(FineTunedModel trained, LlamaConfig config, int seq, int batch, Random random, double stepSeconds) {
        List<List<EncodedExample>> rows = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] tokens = random.ints(seq + 1, 3, config.vocabSize()).toArray();
            tokens[0] = 1;
            rows.add(List.of(EncodedExample.afterPrompt(tokens, 1, false, b)));
        }
        SequenceBatch sequences = SequenceBatch.of(rows, 0, false, CPU);
        Tensor hidden;
        try (org.bytedeco.pytorch.NoGradGuard noGrad = new org.bytedeco.pytorch.NoGradGuard()) {
            hidden = trained.model().hiddenStates(sequences.inputIds(), sequences.positions(), sequences.segments());
        }
        Map<String, Work> works = new LinkedHashMap<>();
        for (long logits : new long[] {1L << 23, 1L << 25, 1L << 27}) {
            long chunkRows = Math.max(1, logits / config.vocabSize());
            works.put("head + loss, chunks of " + chunkRows + " rows (" + (logits >> 20) + "M logits)", new Work(
                    () -> leaves(hidden), in -> new Tensor[] {TokenLoss.sumOverHidden(trained.model(), in[0], sequences, chunkRows)}));
        }
        System.out.println("head and loss over the batch, forward + backward:");
        time(works, 5).forEach((name, seconds) -> System.out.printf("  %-48s %8.1f ms  %5.1f %% of the step%n", name,
                seconds * 1e3, 100 * seconds / stepSeconds));
    }

    private interface AttentionForm {
        Tensor apply(Tensor q, Tensor k, Tensor v);
    }

    private static Tensor[] leaves(Tensor... values) {
        return Arrays.stream(values).map(t -> t.detach().requires_grad_(true)).toArray(Tensor[]::new);
    }

    private static Tensor[] attention(Tensor[] in, AttentionForm form) {
        return new Tensor[] {form.apply(in[0], in[1], in[2])};
    }

    private static Tensor rope(Tensor x, Tensor angles) {
        long half = x.size(3) / 2;
        Tensor rotated = torch.cat(new org.bytedeco.pytorch.TensorArrayRef(new TensorVector(x.narrow(3, half, half).neg(),
                x.narrow(3, 0, half))), 3);
        return x.mul(angles).add(rotated.mul(angles));
    }

    /** Some work to time: its inputs (made before the clock starts) and its forward pass. */
    private record Work(Supplier<Tensor[]> inputs, java.util.function.Function<Tensor[], Tensor[]> forward) {}

    /**
     * The median seconds of {@code rounds} rounds (after 1 warm-up round) of each work's forward pass on fresh inputs and the
     * backward pass from upstream gradients of ones to every input. The works take turns within each round, so a
     * change in the machine's load falls on all of them alike.
     */
    private static Map<String, Double> time(Map<String, Work> works, int rounds) {
        Map<String, double[]> runs = new LinkedHashMap<>();
        works.keySet().forEach(name -> runs.put(name, new double[rounds]));
        for (int i = -1; i < rounds; i++) {
            for (var e : works.entrySet()) {
                try (PointerScope scope = new PointerScope()) {
                    Tensor[] in = e.getValue().inputs().get();
                    long began = System.nanoTime();
                    Tensor[] out = e.getValue().forward().apply(in);
                    Tensor[] ups = Arrays.stream(out).map(torch::ones_like).toArray(Tensor[]::new);
                    torch.grad(new TensorVector(out), new TensorVector(in), new TensorVector(ups), new BoolOptional(false), false, true);
                    if (i >= 0) {
                        runs.get(e.getKey())[i] = lap(began);
                    }
                }
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        runs.forEach((name, values) -> medians.put(name, median(values)));
        return medians;
    }

    private static double lap(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }

    private static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]); // minflt, field 10 of stat
        } catch (Exception e) {
            return -1;
        }
    }
}
