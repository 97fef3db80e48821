package org.instruct4j.model.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.ModelFiles;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.checkpoint.Gguf;
import org.instruct4j.model.checkpoint.RopeLayout;
import org.instruct4j.model.checkpoint.StoredTensor;
import org.instruct4j.model.checkpoint.TensorFormat;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.tokenizer.SentencePieceBpe;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * Writes a Llama-family model as a GGUF file with its matrices in Q8_0 or Q4_0, quantized exactly as llama.cpp's
 * reference quantizers do (matrices whose rows are not a whole number of 32-weight blocks, and every vector, keep
 * their stored format). The file is complete for llama.cpp when the model's vocabulary is SentencePiece's (Llama
 * 1/2, Mistral, llama2.c): architecture metadata, the vocabulary, and q/k rows in the interleaved order llama.cpp's
 * llama architecture expects (qwen2 keeps Hugging Face's).
 */
public final class ModelQuantizer {
    private ModelQuantizer() {}

    /** Writes {@code model} ({@code files}, with {@code tokenizer}) to {@code file} with its matrices in {@code type}. */
    public static void write(ModelFiles files, Tokenizer tokenizer, String name, Quantization type, Path file) {
        if (!(files.config() instanceof LlamaConfig config)) {
            throw new BadInputException("only Llama-family models (llama, mistral, qwen2) can be written as GGUF; "
                    + "quantize OPT on load instead (--quantize)");
        }
        if (type == Quantization.NONE) {
            throw new BadInputException("choose a quantization: q8_0 or q4_0");
        }
        String architecture = config.modelType().equals("qwen2") ? "qwen2" : "llama";
        RopeLayout target = architecture.equals("qwen2") ? RopeLayout.HALVES : RopeLayout.INTERLEAVED;
        try (Arena arena = Arena.ofConfined()) {
            List<Gguf.Tensor> tensors = new ArrayList<>();
            for (StoredTensor stored : files.weights().tensors().values()) {
                IntUnaryOperator rows = rowOrder(stored.name(), config, files.weights().ropeLayout(), target);
                tensors.add(new Gguf.Tensor(Gguf.toGguf(stored.name()), stored.shape(), formatOf(stored, type),
                        convert(stored, type, rows, arena)));
            }
            Gguf.write(file, metadata(config, architecture, tokenizer, name, type), tensors);
        }
    }

    private static TensorFormat formatOf(StoredTensor stored, Quantization type) {
        return quantizable(stored) ? (type == Quantization.Q8_0 ? TensorFormat.Q8_0 : TensorFormat.Q4_0) : stored.format();
    }

    private static boolean quantizable(StoredTensor stored) {
        return stored.shape().length == 2 && stored.cols() % Q8Matrix.BLOCK == 0 && !stored.format().quantized();
    }

    private static MemorySegment convert(StoredTensor stored, Quantization type, IntUnaryOperator rows, Arena arena) {
        if (quantizable(stored)) {
            Matrix source = switch (stored.format()) {
                case F32 -> new F32Matrix(stored.rows(), stored.cols(), stored.data());
                case BF16 -> new Bf16Matrix(stored.rows(), stored.cols(), stored.data());
                default -> throw new BadInputException(stored.name() + " is " + stored.format()
                        + "; quantizing reads float32 and bfloat16 weights");
            };
            return type == Quantization.Q8_0 ? Q8Matrix.quantize(source, rows).toBlocks(arena)
                    : Q4Matrix.quantize(source, rows).toBlocks(arena);
        }
        if (stored.shape().length != 2) {
            return stored.data();
        }
        long rowBytes = stored.format().bytes(stored.cols());
        MemorySegment out = arena.allocate(rowBytes * stored.rows());
        for (int r = 0; r < stored.rows(); r++) {
            MemorySegment.copy(stored.data(), rows.applyAsInt(r) * rowBytes, out, r * rowBytes, rowBytes);
        }
        return out;
    }

    /**
     * Which stored row becomes row r: q and k rows move between RoPE layouts (within each head, Hugging Face's
     * (half, i) and the interleaved (i, half) orders); every other tensor keeps its rows.
     */
    static IntUnaryOperator rowOrder(String name, LlamaConfig config, RopeLayout from, RopeLayout to) {
        int heads = name.endsWith("q_proj.weight") ? config.numAttentionHeads()
                : name.endsWith("k_proj.weight") ? config.numKeyValueHeads() : 0;
        if (heads == 0 || from == to) {
            return IntUnaryOperator.identity();
        }
        int headDim = config.headDim(), half = headDim / 2;
        if (to == RopeLayout.INTERLEAVED) {
            return r -> r / headDim * headDim + (r % 2) * half + (r % headDim) / 2;
        }
        return r -> r / headDim * headDim + (r % half) * 2 + (r % headDim) / half;
    }

    private static Map<String, Object> metadata(LlamaConfig c, String arch, Tokenizer tokenizer, String name, Quantization type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("general.architecture", arch);
        m.put("general.name", name);
        m.put("general.file_type", type == Quantization.Q8_0 ? 7 : 2);
        m.put("general.quantization_version", 2);
        m.put(arch + ".context_length", c.maxPositionEmbeddings());
        m.put(arch + ".embedding_length", c.hiddenSize());
        m.put(arch + ".block_count", c.numHiddenLayers());
        m.put(arch + ".feed_forward_length", c.intermediateSize());
        m.put(arch + ".attention.head_count", c.numAttentionHeads());
        m.put(arch + ".attention.head_count_kv", c.numKeyValueHeads());
        m.put(arch + ".attention.key_length", c.headDim());
        m.put(arch + ".attention.value_length", c.headDim());
        m.put(arch + ".rope.dimension_count", c.headDim());
        m.put(arch + ".rope.freq_base", (float) c.ropeTheta());
        m.put(arch + ".attention.layer_norm_rms_epsilon", (float) c.rmsNormEps());
        if (c.ropeScaling() != null && c.ropeScaling().type().equals("linear")) {
            m.put(arch + ".rope.scaling.type", "linear");
            m.put(arch + ".rope.scaling.factor", (float) c.ropeScaling().factor());
        }
        if (tokenizer instanceof SentencePieceBpe vocabulary) {
            int size = vocabulary.vocabSize();
            List<String> tokens = new ArrayList<>(size);
            float[] scores = new float[size];
            int[] types = new int[size];
            for (int id = 0; id < size; id++) {
                tokens.add(vocabulary.piece(id).replace(' ', '\u2581'));
                scores[id] = vocabulary.score(id);
                types[id] = vocabulary.tokenType(id);
            }
            m.put("tokenizer.ggml.model", "llama");
            m.put("tokenizer.ggml.tokens", tokens);
            m.put("tokenizer.ggml.scores", scores);
            m.put("tokenizer.ggml.token_type", types);
            m.put("tokenizer.ggml.bos_token_id", vocabulary.bosId());
            m.put("tokenizer.ggml.eos_token_id", vocabulary.eosId());
            m.put("tokenizer.ggml.unknown_token_id", vocabulary.unkId());
        }
        return m;
    }
}
