package org.instruct4j.model.checkpoint;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Tensors;

/** A mapped checkpoint's tensors copied into libtorch, as the Hugging Face modeling code expects them. */
public final class TorchWeights {
    private TorchWeights() {}

    /**
     * Every tensor as a CPU tensor passed through {@code convert} (dtype and device), one at a time: quantized
     * blocks widened to float32, and q/k rows stored in RoPE's interleaved order permuted to Hugging Face's (with
     * {@code heads} query and {@code kvHeads} key/value heads; 0 when the architecture has no rotary embeddings).
     */
    public static Map<String, Tensor> of(MappedCheckpoint mapped, int heads, int kvHeads, UnaryOperator<Tensor> convert) {
        boolean interleaved = mapped.ropeLayout() == RopeLayout.INTERLEAVED;
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (StoredTensor stored : mapped.tensors().values()) {
            try (PointerScope scope = new PointerScope()) {
                Tensor w = NativeIo.toTensor(stored);
                if (interleaved && stored.name().endsWith("q_proj.weight")) {
                    w = Llama2cCheckpoint.interleavedToHalves(w, heads);
                } else if (interleaved && stored.name().endsWith("k_proj.weight")) {
                    w = Llama2cCheckpoint.interleavedToHalves(w, kvHeads);
                }
                weights.put(stored.name(), Tensors.keep(convert.apply(w)));
            }
        }
        return weights;
    }

    /**
     * Copies libtorch tensors (Hugging Face names and row order) into a checkpoint the CPU engine reads: float32 and
     * bfloat16 as they are, any other dtype as float32.
     */
    public static MappedCheckpoint toCheckpoint(Map<String, Tensor> weights, String source) {
        MappedCheckpoint mapped = new MappedCheckpoint(Arena.ofShared(), RopeLayout.HALVES, source);
        for (var entry : weights.entrySet()) {
            try (PointerScope scope = new PointerScope()) {
                Tensor tensor = entry.getValue();
                ScalarType dtype = tensor.scalar_type().intern();
                TensorFormat format = dtype == ScalarType.BFloat16 ? TensorFormat.BF16 : TensorFormat.F32;
                Tensor cpu = tensor.detach().to(new Device("cpu"), format == TensorFormat.BF16 ? dtype : ScalarType.Float)
                        .contiguous();
                long bytes = cpu.nbytes();
                MemorySegment data = mapped.arena().allocate(bytes, 64);
                MemorySegment.copy(MemorySegment.ofAddress(cpu.data_ptr().address()).reinterpret(bytes), 0, data, 0, bytes);
                mapped.put(new StoredTensor(entry.getKey(), format, Tensors.shape(cpu), data));
            }
        }
        return mapped;
    }
}
