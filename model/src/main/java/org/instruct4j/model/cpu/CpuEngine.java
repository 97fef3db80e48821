package org.instruct4j.model.cpu;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicReference;
import org.instruct4j.model.arch.ArchitectureConfig;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.arch.OptConfig;
import org.instruct4j.model.checkpoint.MappedCheckpoint;
import org.instruct4j.model.checkpoint.TorchWeights;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.KvSpan;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.tensor.Precision;

/**
 * The pure-Java CPU engine: weights memory-mapped and read in place (float32, bfloat16, or GGUF's Q8_0 and Q4_0
 * blocks), matrix-vector and matrix-matrix kernels on the Vector API, threads across the machine's cores
 * ({@code INSTRUCT4J_THREADS} bounds them), and each row's KV cache in blocks of its own. A pass turns the batch's
 * entries into slots (one per token), runs them through the model in groups of up to {@value #PASS_TOKENS}, then the
 * output head over the slots whose logits were asked for. After warm-up a pass allocates nothing but KV blocks for
 * rows that grow.
 */
public final class CpuEngine implements InferenceEngine {
    /** Most slots in one pass through the layers (longer prompts are read in several). */
    static final int PASS_TOKENS = 256;
    /** Most output rows the head computes at once, which bounds its scratch to this many logit vectors. */
    private static final int HEAD_ROWS = 32;

    private final CpuModel model;
    private final ModelDims dims;
    private final MappedCheckpoint checkpoint;
    private final Arena arena;
    private final ThreadTeam team;
    private final Step step;
    private final KvPages pages;
    private final String description;
    /** Per output slot of the current pass: the array its result goes to, and where in it. */
    private float[][] targets = new float[PASS_TOKENS][];
    private int[] targetOffsets = new int[PASS_TOKENS];
    private boolean[] wantsLogits = new boolean[PASS_TOKENS];
    private float[] headScratch = new float[0];
    /**
     * The thread inside a pass, a KV write or a row's close, if any: the engine's buffers and block pool serve one at
     * a time.
     */
    private final AtomicReference<Thread> user = new AtomicReference<>();

    private CpuEngine(CpuModel model, MappedCheckpoint checkpoint, Arena arena, ThreadTeam team, Precision kvCache) {
        this.model = model;
        this.dims = model.dims();
        this.checkpoint = checkpoint;
        this.arena = arena;
        this.team = team;
        this.pages = new KvPages(dims.kvDim(), kvCache == Precision.BF16);
        Matmul matmul = new Matmul(team, dims.widest());
        this.step = new Step(dims, matmul, new Attention(team, dims, slidingWindow(model), pages.bf16), new RowSplit(team));
        this.description = "java (" + model.formats() + ", " + team.size() + " thread" + (team.size() == 1 ? "" : "s")
                + ", " + VectorMath.F.vectorBitSize() + "-bit vectors" + (pages.bf16 ? ", bf16 KV cache" : "")
                + (Alignment.KNOWN ? "" : ", arrays not line-aligned: -XX:ObjectAlignmentInBytes=64 is faster") + ")";
    }

    /**
     * The model {@code config} describes, over {@code checkpoint}'s tensors (which the engine then owns and closes),
     * with {@code precision} (bf16 rounds float32 weights to bfloat16) and {@code quantization} applied on load.
     */
    public static CpuEngine open(ArchitectureConfig config, MappedCheckpoint checkpoint, Precision precision,
                                 Quantization quantization) {
        return open(config, checkpoint, InferenceOptions.defaults().withPrecision(precision).withQuantization(quantization));
    }

    /** The same with the precision, quantization and KV cache type of {@code options}. */
    public static CpuEngine open(ArchitectureConfig config, MappedCheckpoint checkpoint, InferenceOptions options) {
        return open(config, checkpoint, options, ThreadTeam.configuredSize());
    }

    /** The same with {@code threads} threads (benchmarks compare counts; others take {@code INSTRUCT4J_THREADS}). */
    public static CpuEngine open(ArchitectureConfig config, MappedCheckpoint checkpoint, InferenceOptions options,
                                 int threads) {
        Arena arena = Arena.ofShared();
        try {
            CpuWeights weights = new CpuWeights(checkpoint, arena, options.precision(), options.quantization());
            CpuModel model = switch (config) {
                case LlamaConfig llama -> CpuModels.llama(llama, weights, checkpoint.ropeLayout());
                case OptConfig opt -> CpuModels.opt(opt, weights);
            };
            return new CpuEngine(model, checkpoint, arena, new ThreadTeam(threads), options.kvCache());
        } catch (RuntimeException e) {
            arena.close();
            checkpoint.close();
            throw e;
        }
    }

    /** The CPU engine over a libtorch model's weights (copied), e.g. a base model with a LoRA adapter merged in. */
    public static CpuEngine fromTorch(CausalLm model, InferenceOptions options) {
        return open(model.config(), TorchWeights.toCheckpoint(model.weights(), "libtorch model"), options);
    }

    private static int slidingWindow(CpuModel model) {
        return model instanceof CpuLlama llama ? llama.config().slidingWindow() : 0;
    }

    @Override
    public int vocabSize() {
        return dims.vocab();
    }

    @Override
    public int hiddenSize() {
        return dims.outDim();
    }

    @Override
    public int maxPositions() {
        return dims.maxPositions();
    }

    @Override
    public Sequence newSequence(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a row needs room for at least one token, got " + capacity);
        }
        return new CpuSequence(this, pages, dims.layers(), capacity, dims.vocab());
    }

    @Override
    public boolean copiesKv() {
        return true;
    }

    @Override
    public long kvBytesPerToken() { // a copied span holds floats whatever the blocks are (CpuKvSpan)
        return 2L * dims.layers() * dims.kvDim() * Float.BYTES;
    }

    @Override
    public KvSpan copyKv(Sequence row, int from, int to) {
        CpuSequence own = own(row);
        if (from < 0 || to <= from || to > own.length) {
            throw new IllegalArgumentException("positions [" + from + ", " + to + ") of a row holding " + own.length);
        }
        return CpuKvSpan.copy(own, from, to, dims.kvDim());
    }

    @Override
    public void appendKv(Sequence row, KvSpan span, int count) {
        CpuSequence own = own(row);
        if (!(span instanceof CpuKvSpan cpuSpan) || cpuSpan.keys.length != dims.layers()) {
            throw new IllegalArgumentException("the span was copied from another model's rows");
        }
        if (own.length != span.from() || count < 0 || count > span.length()) {
            throw new IllegalArgumentException("positions [" + span.from() + ", " + (span.from() + count) + ") go after "
                    + span.from() + " tokens; the row holds " + own.length + " and the span " + span.length());
        }
        own.checkRoom(this, count);
        exclusively("appendKv", () -> {
            cpuSpan.writeTo(own, count);
            own.length += count;
        });
    }

    /**
     * Runs {@code work} as the one thread inside the engine, or fails clearly: a second thread inside a pass would
     * overwrite the pass's buffers and corrupt both, and one closing a row would hand the pass's KV blocks to the pool
     * the pass takes its own from (an engine is driven by one thread: the scheduler's, or a Generator's caller).
     */
    void exclusively(String what, Runnable work) {
        Thread me = Thread.currentThread();
        if (!user.compareAndSet(null, me)) {
            Thread other = user.get();
            throw new IllegalStateException(what + " on thread '" + me.getName() + "' while thread '"
                    + (other == null ? "?" : other.getName()) + "' is inside the CPU engine: an engine serves one thread"
                    + " at a time (share it through a Scheduler, which drives it from one thread)");
        }
        try {
            work.run();
        } finally {
            user.set(null);
        }
    }

    private CpuSequence own(Sequence row) {
        if (!(row instanceof CpuSequence cpu)) {
            throw new IllegalArgumentException("the row belongs to another engine");
        }
        cpu.checkRoom(this, 0);
        return cpu;
    }

    @Override
    public void forward(Batch batch) {
        for (int e = 0; e < batch.size(); e++) {
            if (!(batch.sequence(e) instanceof CpuSequence row)) {
                throw new IllegalArgumentException("the row belongs to another engine");
            }
            row.checkRoom(this, batch.length(e));
            boolean needsHead = batch.output(e) == Batch.Output.LAST_LOGITS || batch.output(e) == Batch.Output.ALL_LOGITS;
            if (needsHead && model.classifier() == null) {
                throw new IllegalArgumentException("this model has no output head (a backbone): it gives hidden states only");
            }
        }
        exclusively("forward", () -> run(batch));
    }

    /** The passes of a checked batch, by the thread that holds the engine. */
    private void run(Batch batch) {
        step.reserve(Math.min(PASS_TOKENS, batch.tokenCount()));
        step.size = 0;
        step.outputs = 0;
        for (int e = 0; e < batch.size(); e++) {
            CpuSequence row = (CpuSequence) batch.sequence(e);
            int start = row.length, length = batch.length(e);
            Batch.Output output = batch.output(e);
            for (int i = 0; i < length; i++) {
                int slot = step.size++;
                step.rows[slot] = row;
                step.positions[slot] = start + i;
                step.tokens[slot] = batch.token(e, i);
                if (output == Batch.Output.ALL_LOGITS) {
                    addOutput(slot, batch.destination(e), i * dims.vocab(), true);
                } else if (i == length - 1 && output == Batch.Output.LAST_LOGITS) {
                    addOutput(slot, row.logits(), 0, true);
                } else if (i == length - 1 && output == Batch.Output.LAST_HIDDEN) {
                    addOutput(slot, batch.destination(e), 0, false);
                }
                if (step.size == PASS_TOKENS) {
                    pass();
                }
            }
        }
        if (step.size > 0) {
            pass();
        }
    }

    private void addOutput(int slot, float[] target, int offset, boolean logits) {
        int i = step.outputs++;
        step.outputSlots[i] = slot;
        targets[i] = target;
        targetOffsets[i] = offset;
        wantsLogits[i] = logits;
    }

    /** Runs the step's slots through the model and delivers its outputs, then empties it. */
    private void pass() {
        for (int s = 0; s < step.size; s++) {
            step.rows[s].reserve(step.positions[s] + 1);
        }
        model.forward(step);
        for (int s = 0; s < step.size; s++) {
            step.rows[s].length = Math.max(step.rows[s].length, step.positions[s] + 1);
        }
        deliverOutputs();
        java.util.Arrays.fill(step.rows, 0, step.size, null);
        java.util.Arrays.fill(targets, 0, step.outputs, null);
        step.size = 0;
        step.outputs = 0;
    }

    /** Hidden states are copied out; logits come from the head, HEAD_ROWS output rows at a time, copied out by the team. */
    private void deliverOutputs() {
        int outDim = dims.outDim(), vocab = dims.vocab();
        for (int from = 0; from < step.outputs; from += HEAD_ROWS) {
            int to = Math.min(step.outputs, from + HEAD_ROWS);
            int logitRows = 0;
            for (int i = from; i < to; i++) {
                if (wantsLogits[i]) {
                    logitRows++;
                } else {
                    System.arraycopy(step.hidden, i * outDim, targets[i], targetOffsets[i], outDim);
                }
            }
            if (logitRows == 0) {
                continue;
            }
            if (headScratch.length < (to - from) * vocab) {
                headScratch = new float[(to - from) * vocab];
            }
            step.matmul.run(step.hidden, from * outDim, to - from, model.classifier(), headScratch);
            int first = from;
            step.rowSplit.run(to - from, vocab, (a, b) -> {
                for (int i = first + a; i < first + b; i++) {
                    if (wantsLogits[i]) {
                        System.arraycopy(headScratch, (i - first) * vocab, targets[i], targetOffsets[i], vocab);
                    }
                }
            });
        }
    }

    /**
     * Bytes of weights one decode step of one row reads: every layer matrix and the output head (the embedding row
     * and the vectors are negligible). Times tokens/s, the memory bandwidth a batch-1 decode needs.
     */
    public long weightBytesPerToken() {
        return model.matrixBytes();
    }

    /** KV blocks held by open rows (each {@value KvPages#POSITIONS} positions of one layer's keys or values). */
    public long kvBlocksInUse() {
        return pages.inUse();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        team.close();
        arena.close();
        checkpoint.close();
    }
}
