package org.instruct4j.model.checkpoint;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.AtomicFiles;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;

/**
 * Reads llama2.c's legacy checkpoint format (run.c): seven int32 (dim, hidden_dim, n_layers, n_heads,
 * n_kv_heads, vocab_size, seq_len; a negative vocab_size means the classifier is stored separately), then
 * float32 weights grouped by kind across layers. Tensors are renamed to Hugging Face names, and q/k rows are
 * permuted from Meta's interleaved RoPE pairs to Hugging Face's rotate-half halves, as transformers'
 * convert_llama_weights_to_hf.py does, so the model can be saved as a normal Hugging Face directory.
 */
public final class Llama2cCheckpoint {
    private static final int HEADER_BYTES = 7 * Integer.BYTES;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Llama2cCheckpoint() {}

    /** A llama2.c checkpoint's configuration and tensors (Hugging Face names, q/k rows as stored: interleaved). */
    public record Mapped(LlamaConfig config, MappedCheckpoint tensors) {}

    /** The checkpoint in libtorch, its q/k rows permuted to Hugging Face's order so it saves as a normal model. */
    public static Llama load(Path file, Precision precision, Device device) {
        Mapped checkpoint = map(file);
        try (MappedCheckpoint mapped = checkpoint.tensors()) {
            LlamaConfig c = checkpoint.config();
            Map<String, Tensor> weights = TorchWeights.of(mapped, c.numAttentionHeads(), c.numKeyValueHeads(),
                    w -> w.to(device, precision.scalarType()).contiguous());
            return new Llama(c, weights, file.toString());
        }
    }

    /** Maps the checkpoint: its header becomes a configuration, its float32 groups tensors with Hugging Face names. */
    public static Mapped map(Path file) {
        MappedCheckpoint mapped = new MappedCheckpoint(Arena.ofShared(), RopeLayout.INTERLEAVED, file.toString());
        try {
            MemorySegment bytes = MappedCheckpoint.mapFile(file, mapped.arena());
            if (bytes.byteSize() < HEADER_BYTES) {
                throw new BadInputException(file + ": too short for a llama2.c header (" + bytes.byteSize() + " bytes)");
            }
            int[] h = new int[7];
            for (int i = 0; i < h.length; i++) {
                h[i] = bytes.get(INT, (long) i * Integer.BYTES);
            }
            int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], vocab = Math.abs(h[5]), seqLen = h[6];
            if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || seqLen <= 0 || dim % heads != 0) {
                throw new BadInputException(file + ": not a llama2.c checkpoint, header is dim=" + dim
                        + " hidden_dim=" + hidden + " n_layers=" + layers + " n_heads=" + heads
                        + " n_kv_heads=" + kvHeads + " vocab_size=" + vocab + " seq_len=" + seqLen);
            }
            LlamaConfig config = LlamaConfig.llama(dim, hidden, layers, heads, kvHeads, vocab, seqLen, h[5] > 0);
            new Layout(bytes, mapped, file).addAll(config);
            return new Mapped(config, mapped);
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    /** Slices the weight groups in file order. */
    private static final class Layout {
        private final MemorySegment bytes;
        private final MappedCheckpoint mapped;
        private final Path file;
        private long offset = HEADER_BYTES;

        Layout(MemorySegment bytes, MappedCheckpoint mapped, Path file) {
            this.bytes = bytes;
            this.mapped = mapped;
            this.file = file;
        }

        void addAll(LlamaConfig c) {
            int dim = c.hiddenSize(), hidden = c.intermediateSize(), layers = c.numHiddenLayers();
            int kvDim = c.numKeyValueHeads() * c.headDim();
            next("model.embed_tokens.weight", c.vocabSize(), dim);
            perLayer("input_layernorm.weight", layers, dim);
            perLayer("self_attn.q_proj.weight", layers, dim, dim);
            perLayer("self_attn.k_proj.weight", layers, kvDim, dim);
            perLayer("self_attn.v_proj.weight", layers, kvDim, dim);
            perLayer("self_attn.o_proj.weight", layers, dim, dim);
            perLayer("post_attention_layernorm.weight", layers, dim);
            perLayer("mlp.gate_proj.weight", layers, hidden, dim);
            perLayer("mlp.down_proj.weight", layers, dim, hidden);
            perLayer("mlp.up_proj.weight", layers, hidden, dim);
            next("model.norm.weight", dim);
            offset += 2L * c.maxPositionEmbeddings() * (c.headDim() / 2) * Float.BYTES; // legacy RoPE tables, unused
            if (!c.tieWordEmbeddings()) {
                next("lm_head.weight", c.vocabSize(), dim);
            }
            if (offset != bytes.byteSize()) {
                throw new BadInputException(file + ": header promises " + offset + " bytes but the file has "
                        + bytes.byteSize());
            }
        }

        private void perLayer(String name, int layers, long... shape) {
            for (int i = 0; i < layers; i++) {
                next("model.layers." + i + "." + name, shape);
            }
        }

        private void next(String name, long... shape) {
            long count = 1;
            for (long size : shape) {
                count *= size;
            }
            if (offset + count * Float.BYTES > bytes.byteSize()) {
                throw new BadInputException(file + ": truncated at byte " + offset + " (file has "
                        + bytes.byteSize() + " bytes)");
            }
            mapped.put(new StoredTensor(name, TensorFormat.F32, shape, bytes.asSlice(offset, count * Float.BYTES)));
            offset += count * Float.BYTES;
        }
    }

    /**
     * Writes {@code model} in the same format, so run.c can run it: the inverse of {@link #load}. Only what
     * the format can express is accepted: RoPE theta 10000 without scaling, head_dim = dim / heads, RMSNorm
     * eps 1e-5, no biases.
     */
    public static void write(Llama model, Path file) {
        LlamaConfig c = model.config();
        boolean expressible = c.ropeTheta() == 10000.0 && c.ropeScaling() == null && c.rmsNormEps() == 1e-5
                && c.headDim() * c.numAttentionHeads() == c.hiddenSize()
                && model.weights().keySet().stream().noneMatch(name -> name.endsWith(".bias"));
        if (!expressible) {
            throw new BadInputException("the llama2.c format cannot express this model (rope_theta "
                    + c.ropeTheta() + ", rope_scaling " + c.ropeScaling() + ", rms_norm_eps " + c.rmsNormEps()
                    + ", head_dim " + c.headDim() + ", biases)");
        }
        Map<String, Tensor> w = model.weights();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(c.hiddenSize()).putInt(c.intermediateSize()).putInt(c.numHiddenLayers())
                .putInt(c.numAttentionHeads()).putInt(c.numKeyValueHeads())
                .putInt(c.tieWordEmbeddings() ? c.vocabSize() : -c.vocabSize()).putInt(c.maxPositionEmbeddings());
        header.flip();
        String[] perLayer = {"input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight",
                "self_attn.v_proj.weight", "self_attn.o_proj.weight", "post_attention_layernorm.weight",
                "mlp.gate_proj.weight", "mlp.down_proj.weight", "mlp.up_proj.weight"};
        AtomicFiles.write(file, out -> {
            WritableByteChannel channel = Channels.newChannel(out);
            channel.write(header);
            writeFloats(channel, w.get("model.embed_tokens.weight"));
            for (String name : perLayer) {
                for (int i = 0; i < c.numHiddenLayers(); i++) {
                    Tensor tensor = w.get("model.layers." + i + "." + name);
                    if (name.startsWith("self_attn.q_proj")) {
                        tensor = halvesToInterleaved(tensor, c.numAttentionHeads());
                    } else if (name.startsWith("self_attn.k_proj")) {
                        tensor = halvesToInterleaved(tensor, c.numKeyValueHeads());
                    }
                    writeFloats(channel, tensor);
                }
            }
            writeFloats(channel, w.get("model.norm.weight"));
            long tableSize = (long) c.maxPositionEmbeddings() * (c.headDim() / 2);
            writeFloats(channel, torch.zeros(new long[] {2 * tableSize}, new TensorOptions(ScalarType.Float)));
            if (!c.tieWordEmbeddings()) {
                writeFloats(channel, w.get("lm_head.weight"));
            }
        });
    }

    private static void writeFloats(WritableByteChannel channel, Tensor tensor) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            NativeIo.write(channel, tensor.to(new Device("cpu"), ScalarType.Float));
        }
    }

    /** The inverse of {@link #interleavedToHalves}. */
    static Tensor halvesToInterleaved(Tensor w, int heads) {
        long rows = w.size(0), cols = w.size(1);
        return w.view(heads, 2, rows / heads / 2, cols).transpose(1, 2).reshape(rows, cols);
    }

    /** Rows (head, i, pair) -> (head, pair, i): rotate-half RoPE on these rows equals interleaved RoPE before. */
    static Tensor interleavedToHalves(Tensor w, int heads) {
        long rows = w.size(0), cols = w.size(1);
        return w.view(heads, rows / heads / 2, 2, cols).transpose(1, 2).reshape(rows, cols);
    }
}
