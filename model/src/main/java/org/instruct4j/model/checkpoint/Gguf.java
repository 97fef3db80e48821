package org.instruct4j.model.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.instruct4j.core.io.AtomicFiles;

/**
 * GGUF (version 3), llama.cpp's model file: a header, typed metadata (key to number, string or array), tensor
 * descriptions (name, dimensions innermost first, ggml type, offset) and the tensor data, each tensor aligned to
 * {@code general.alignment} (32) bytes. Tensor names are GGUF's (blk.0.attn_q.weight); here they are translated to
 * and from Hugging Face's (model.layers.0.self_attn.q_proj.weight) for the Llama-family architectures, so the same
 * architecture code reads a GGUF file, a safetensors directory or a llama2.c checkpoint.
 */
public final class Gguf {
    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final int VERSION = 3;
    private static final int ALIGNMENT = 32;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Metadata value types. */
    private static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
            STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

    /** Hugging Face module names within a layer, and GGUF's. */
    private static final String[][] LAYER_NAMES = {
        {"input_layernorm", "attn_norm"}, {"self_attn.q_proj", "attn_q"}, {"self_attn.k_proj", "attn_k"},
        {"self_attn.v_proj", "attn_v"}, {"self_attn.o_proj", "attn_output"}, {"post_attention_layernorm", "ffn_norm"},
        {"mlp.gate_proj", "ffn_gate"}, {"mlp.up_proj", "ffn_up"}, {"mlp.down_proj", "ffn_down"}};
    private static final String[][] TOP_NAMES = {
        {"model.embed_tokens", "token_embd"}, {"model.norm", "output_norm"}, {"lm_head", "output"}};
    private static final Pattern HF_LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)\\.(weight|bias)");
    private static final Pattern GGUF_LAYER = Pattern.compile("blk\\.(\\d+)\\.(.+)\\.(weight|bias)");

    private Gguf() {}

    /** A mapped GGUF file: its metadata and its tensors under Hugging Face names. */
    public record Mapped(Map<String, Object> metadata, MappedCheckpoint tensors) {}

    /**
     * Maps {@code file}. Its q/k rows are in RoPE's interleaved order for the llama architecture (which llama.cpp's
     * converter permutes them to), in Hugging Face's for qwen2.
     */
    public static Mapped map(Path file) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment bytes = MappedCheckpoint.mapFile(file, arena);
            Reader in = new Reader(bytes, file);
            if (in.u32() != MAGIC) {
                throw new IllegalArgumentException(file + ": not a GGUF file (no GGUF magic)");
            }
            int version = in.u32();
            if (version < 2 || version > 3) {
                throw new IllegalArgumentException(file + ": GGUF version " + version + "; versions 2 and 3 are supported");
            }
            long tensorCount = in.u64(), metadataCount = in.u64();
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long i = 0; i < metadataCount; i++) {
                String key = in.string();
                metadata.put(key, in.value(in.u32()));
            }
            String architecture = String.valueOf(metadata.get("general.architecture"));
            RopeLayout layout = "qwen2".equals(architecture) ? RopeLayout.HALVES : RopeLayout.INTERLEAVED;
            MappedCheckpoint mapped = new MappedCheckpoint(arena, layout, file.toString());
            List<Object[]> infos = new ArrayList<>();
            for (long i = 0; i < tensorCount; i++) {
                String name = in.string();
                int dims = in.u32();
                long[] shape = new long[dims];
                for (int d = 0; d < dims; d++) {
                    shape[dims - 1 - d] = in.u64(); // GGUF lists the innermost dimension first
                }
                infos.add(new Object[] {name, shape, ggmlFormat(in.u32(), name, file), in.u64()});
            }
            long alignment = metadata.get("general.alignment") instanceof Number n ? n.longValue() : ALIGNMENT;
            long dataStart = (in.position + alignment - 1) / alignment * alignment;
            for (Object[] info : infos) {
                String name = (String) info[0];
                long[] shape = (long[]) info[1];
                TensorFormat format = (TensorFormat) info[2];
                long offset = dataStart + (long) info[3];
                long elements = 1;
                for (long size : shape) {
                    elements *= size;
                }
                long size = format.bytes(elements);
                if (offset + size > bytes.byteSize()) {
                    throw new IllegalArgumentException(file + ": tensor '" + name + "' ends past the end of the file");
                }
                String hfName = toHuggingFace(name);
                mapped.put(new StoredTensor(hfName, format, shape, bytes.asSlice(offset, size)));
            }
            return new Mapped(metadata, mapped);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static TensorFormat ggmlFormat(int type, String name, Path file) {
        return switch (type) {
            case 0 -> TensorFormat.F32;
            case 1 -> TensorFormat.F16;
            case 2 -> TensorFormat.Q4_0;
            case 8 -> TensorFormat.Q8_0;
            case 30 -> TensorFormat.BF16;
            default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' has ggml type " + type
                    + "; supported are F32, F16, BF16, Q8_0 and Q4_0");
        };
    }

    private static int ggmlType(TensorFormat format) {
        return switch (format) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 8;
            case BF16 -> 30;
            default -> throw new IllegalArgumentException("GGUF cannot hold " + format + " tensors");
        };
    }

    /** GGUF's name of a Hugging Face Llama-family tensor. */
    public static String toGguf(String name) {
        Matcher layer = HF_LAYER.matcher(name);
        if (layer.matches()) {
            for (String[] pair : LAYER_NAMES) {
                if (pair[0].equals(layer.group(2))) {
                    return "blk." + layer.group(1) + "." + pair[1] + "." + layer.group(3);
                }
            }
        }
        for (String[] pair : TOP_NAMES) {
            if (name.equals(pair[0] + ".weight")) {
                return pair[1] + ".weight";
            }
        }
        throw new IllegalArgumentException("no GGUF name for tensor '" + name + "'");
    }

    /** The Hugging Face name of a GGUF tensor (unknown names are kept). */
    static String toHuggingFace(String name) {
        Matcher layer = GGUF_LAYER.matcher(name);
        if (layer.matches()) {
            for (String[] pair : LAYER_NAMES) {
                if (pair[1].equals(layer.group(2))) {
                    return "model.layers." + layer.group(1) + "." + pair[0] + "." + layer.group(3);
                }
            }
        }
        for (String[] pair : TOP_NAMES) {
            if (name.equals(pair[1] + ".weight")) {
                return pair[0] + ".weight";
            }
        }
        return name;
    }

    /** Reads the file front to back. */
    private static final class Reader {
        private final MemorySegment bytes;
        private final Path file;
        long position;

        Reader(MemorySegment bytes, Path file) {
            this.bytes = bytes;
            this.file = file;
        }

        private void need(long count) {
            if (position + count > bytes.byteSize()) {
                throw new IllegalArgumentException(file + ": GGUF header truncated at byte " + position);
            }
        }

        int u32() {
            need(4);
            int v = bytes.get(INT, position);
            position += 4;
            return v;
        }

        long u64() {
            need(8);
            long v = bytes.get(LONG, position);
            position += 8;
            return v;
        }

        String string() {
            long length = u64();
            if (length < 0 || length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": bad string length " + length + " at byte " + position);
            }
            need(length);
            String s = new String(bytes.asSlice(position, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            position += length;
            return s;
        }

        Object value(int type) {
            return switch (type) {
                case UINT8, INT8, BOOL -> {
                    need(1);
                    byte b = bytes.get(ValueLayout.JAVA_BYTE, position++);
                    yield type == BOOL ? (Object) (b != 0) : (Object) (int) (type == UINT8 ? b & 0xFF : b);
                }
                case UINT16, INT16 -> {
                    need(2);
                    short s = bytes.get(SHORT, position);
                    position += 2;
                    yield type == UINT16 ? s & 0xFFFF : (int) s;
                }
                case UINT32 -> Integer.toUnsignedLong(u32());
                case INT32 -> u32();
                case FLOAT32 -> {
                    need(4);
                    float f = bytes.get(FLOAT, position);
                    position += 4;
                    yield f;
                }
                case UINT64, INT64 -> u64();
                case FLOAT64 -> {
                    need(8);
                    double d = bytes.get(DOUBLE, position);
                    position += 8;
                    yield d;
                }
                case STRING -> string();
                case ARRAY -> {
                    int elementType = u32();
                    long count = u64();
                    List<Object> list = new ArrayList<>((int) Math.min(count, 1 << 20));
                    for (long i = 0; i < count; i++) {
                        list.add(value(elementType));
                    }
                    yield list;
                }
                default -> throw new IllegalArgumentException(file + ": unknown GGUF value type " + type + " at byte " + position);
            };
        }
    }

    /** A tensor to write: its GGUF name, shape (outermost first), format and bytes. */
    public record Tensor(String name, long[] shape, TensorFormat format, MemorySegment data) {}

    /**
     * Writes a GGUF file atomically: {@code metadata} (values: String, Integer as uint32, Long as uint64, Float,
     * Boolean, int[] as an int32 array, float[], or a List of one of the scalars) and {@code tensors}, each aligned to
     * 32 bytes.
     */
    public static void write(Path file, Map<String, Object> metadata, List<Tensor> tensors) {
        AtomicFiles.write(file, out -> {
            Writer w = new Writer();
            w.u32(MAGIC);
            w.u32(VERSION);
            w.u64(tensors.size());
            w.u64(metadata.size());
            metadata.forEach((key, value) -> {
                w.string(key);
                w.typedValue(value);
            });
            long offset = 0;
            for (Tensor t : tensors) {
                w.string(t.name());
                w.u32(t.shape().length);
                for (int d = t.shape().length - 1; d >= 0; d--) {
                    w.u64(t.shape()[d]);
                }
                w.u32(ggmlType(t.format()));
                w.u64(offset);
                offset += padded(t.data().byteSize());
            }
            w.pad();
            w.flushTo(out);
            WritableByteChannel channel = Channels.newChannel(out);
            for (Tensor t : tensors) {
                ByteBuffer data = t.data().asByteBuffer();
                while (data.hasRemaining()) {
                    channel.write(data);
                }
                out.write(new byte[(int) (padded(t.data().byteSize()) - t.data().byteSize())]);
            }
        });
    }

    private static long padded(long size) {
        return (size + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Builds the header in memory (it is small: metadata and tensor descriptions). */
    private static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buffer.flip();
                grown.put(buffer);
                buffer = grown;
            }
        }

        void u32(int v) {
            room(4);
            buffer.putInt(v);
        }

        void u64(long v) {
            room(8);
            buffer.putLong(v);
        }

        void string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            room(bytes.length);
            buffer.put(bytes);
        }

        void typedValue(Object value) {
            if (value instanceof int[] ints) {
                u32(ARRAY);
                u32(INT32);
                u64(ints.length);
                for (int i : ints) {
                    u32(i);
                }
            } else if (value instanceof float[] floats) {
                u32(ARRAY);
                u32(FLOAT32);
                u64(floats.length);
                for (float f : floats) {
                    value(f);
                }
            } else if (value instanceof List<?> list) {
                u32(ARRAY);
                u32(list.isEmpty() ? UINT32 : typeOf(list.get(0)));
                u64(list.size());
                for (Object element : list) {
                    value(element);
                }
            } else {
                u32(typeOf(value));
                value(value);
            }
        }

        private static int typeOf(Object value) {
            return switch (value) {
                case String s -> STRING;
                case Integer i -> UINT32;
                case Long l -> UINT64;
                case Float f -> FLOAT32;
                case Boolean b -> BOOL;
                default -> throw new IllegalArgumentException("GGUF metadata cannot hold " + value.getClass().getSimpleName());
            };
        }

        private void value(Object value) {
            switch (value) {
                case String s -> string(s);
                case Integer i -> u32(i);
                case Long l -> u64(l);
                case Float f -> {
                    room(4);
                    buffer.putFloat(f);
                }
                case Boolean b -> {
                    room(1);
                    buffer.put((byte) (b ? 1 : 0));
                }
                default -> throw new IllegalArgumentException("GGUF metadata cannot hold " + value.getClass().getSimpleName());
            }
        }

        void pad() {
            int padding = (int) (padded(buffer.position()) - buffer.position());
            room(padding);
            buffer.put(new byte[padding]);
        }

        void flushTo(OutputStream out) throws IOException {
            out.write(buffer.array(), 0, buffer.position());
        }
    }
}
