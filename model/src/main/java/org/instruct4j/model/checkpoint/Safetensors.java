package org.instruct4j.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.AtomicFiles;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Tensors;

/**
 * The safetensors format (an 8-byte little-endian header length, a JSON header of name -> dtype, shape and
 * byte range, then the raw little-endian data), single-file or sharded with model.safetensors.index.json.
 * Tensors are read from memory-mapped windows straight into native memory, so files over 2 GiB and models
 * larger than the Java heap load.
 */
public final class Safetensors {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Safetensors() {}

    /**
     * All tensors of a model directory, each passed through {@code convert} (dtype and device) as it is read,
     * so only one tensor at a time exists in its stored dtype.
     */
    public static Map<String, Tensor> readDirectory(Path dir, UnaryOperator<Tensor> convert) {
        try (MappedCheckpoint mapped = map(dir)) {
            return toTensors(mapped, convert);
        }
    }

    /** All tensors of one .safetensors file, in header order, each passed through {@code convert}. */
    public static Map<String, Tensor> read(Path file, UnaryOperator<Tensor> convert) {
        try (MappedCheckpoint mapped = new MappedCheckpoint(Arena.ofShared(), RopeLayout.HALVES, file.toString())) {
            mapInto(file, mapped);
            return toTensors(mapped, convert);
        }
    }

    private static Map<String, Tensor> toTensors(MappedCheckpoint mapped, UnaryOperator<Tensor> convert) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (StoredTensor stored : mapped.tensors().values()) {
            try (PointerScope scope = new PointerScope()) {
                tensors.put(stored.name(), Tensors.keep(convert.apply(NativeIo.toTensor(stored))));
            }
        }
        return tensors;
    }

    /**
     * The tensors of a model directory (model.safetensors, or the shards model.safetensors.index.json lists),
     * memory-mapped: nothing is read until used.
     */
    public static MappedCheckpoint map(Path dir) {
        Path single = dir.resolve(SINGLE_FILE);
        Path index = dir.resolve(INDEX_FILE);
        MappedCheckpoint mapped = new MappedCheckpoint(Arena.ofShared(), RopeLayout.HALVES, dir.toString());
        try {
            if (Files.isRegularFile(single)) {
                mapInto(single, mapped);
            } else if (Files.isRegularFile(index)) {
                for (String shard : shards(index)) {
                    mapInto(dir.resolve(shard), mapped);
                }
            } else {
                throw new BadInputException(dir + ": neither " + SINGLE_FILE + " nor " + INDEX_FILE + " found");
            }
            return mapped;
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private static List<String> shards(Path index) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(index.toFile()).get("weight_map");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
        if (weightMap == null || !weightMap.isObject()) {
            throw new BadInputException(index + ": field 'weight_map' is missing or not an object");
        }
        List<String> shards = new ArrayList<>();
        for (JsonNode file : weightMap) {
            if (!shards.contains(file.asText())) {
                shards.add(file.asText());
            }
        }
        return shards;
    }

    /** Maps one .safetensors file and adds its tensors, validated against its header, to {@code mapped}. */
    private static void mapInto(Path file, MappedCheckpoint mapped) {
        MemorySegment bytes = MappedCheckpoint.mapFile(file, mapped.arena());
        long size = bytes.byteSize();
        if (size < 8) {
            throw new BadInputException(file + ": too short for a safetensors header");
        }
        long headerLength = bytes.get(LONG, 0);
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
            throw new BadInputException(file + ": header length " + headerLength + " is invalid for a "
                    + size + "-byte file; not a safetensors file?");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadInputException(file + ": the header is not JSON: " + e.getMessage(), e);
        }
        long dataStart = 8 + headerLength;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            TensorEntry info = TensorEntry.parse(entry.getKey(), entry.getValue(), file);
            if (dataStart + info.end > size) {
                throw new BadInputException(file + ": tensor '" + entry.getKey() + "' ends at byte "
                        + (dataStart + info.end) + " past the end of the file (" + size + " bytes)");
            }
            mapped.put(new StoredTensor(entry.getKey(), info.format, info.shape,
                    bytes.asSlice(dataStart + info.begin, info.end - info.begin)));
        }
    }

    /** One header entry, validated against its dtype and shape. */
    private record TensorEntry(TensorFormat format, long[] shape, long begin, long end) {
        static TensorEntry parse(String name, JsonNode node, Path file) {
            String dtypeName = node.path("dtype").asText();
            TensorFormat format = TensorFormat.ofSafetensors(dtypeName);
            if (format == null) {
                throw new BadInputException(file + ": tensor '" + name + "' has unsupported dtype '" + dtypeName + "'");
            }
            JsonNode shapeNode = node.path("shape");
            long[] shape = new long[shapeNode.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong();
                elements *= shape[i];
            }
            JsonNode offsets = node.path("data_offsets");
            if (offsets.size() != 2) {
                throw new BadInputException(file + ": tensor '" + name + "' has no data_offsets [begin, end]");
            }
            long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
            if (end - begin != format.bytes(elements)) {
                throw new BadInputException(file + ": tensor '" + name + "' has " + (end - begin)
                        + " bytes but its dtype " + dtypeName + " and shape need " + format.bytes(elements));
            }
            return new TensorEntry(format, shape, begin, end);
        }
    }

    private static String dtypeName(ScalarType dtype) {
        return switch (dtype) {
            case Float -> "F32";
            case Half -> "F16";
            case BFloat16 -> "BF16";
            case Double -> "F64";
            case Long -> "I64";
            case Int -> "I32";
            case Short -> "I16";
            case Char -> "I8";
            case Byte -> "U8";
            case Bool -> "BOOL";
            default -> throw new IllegalArgumentException("safetensors cannot store dtype " + dtype);
        };
    }

    /**
     * Writes {@code tensors} to {@code dir}: one model.safetensors, or shards of at most {@code maxShardBytes}
     * plus model.safetensors.index.json, as transformers' save_pretrained does. Files appear atomically.
     */
    public static void writeDirectory(Map<String, Tensor> tensors, Path dir, long maxShardBytes) {
        List<Map<String, Tensor>> shards = new ArrayList<>();
        Map<String, Tensor> current = new TreeMap<>();
        long currentBytes = 0;
        long total = 0;
        for (var entry : new TreeMap<>(tensors).entrySet()) {
            long bytes = entry.getValue().nbytes();
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new TreeMap<>();
                currentBytes = 0;
            }
            current.put(entry.getKey(), entry.getValue());
            currentBytes += bytes;
            total += bytes;
        }
        shards.add(current);
        if (shards.size() == 1) {
            write(current, dir.resolve(SINGLE_FILE));
            return;
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode weightMap = index.putObject("weight_map");
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            write(shards.get(i), dir.resolve(name));
            for (String tensor : shards.get(i).keySet()) {
                weightMap.put(tensor, name);
            }
        }
        AtomicFiles.writeString(dir.resolve(INDEX_FILE), index.toPrettyString());
    }

    /** Writes one .safetensors file (tensors sorted by name) atomically. */
    public static void write(Map<String, Tensor> tensors, Path file) {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (var entry : sorted.entrySet()) {
            Tensor tensor = entry.getValue();
            ObjectNode node = header.putObject(entry.getKey());
            node.put("dtype", dtypeName(tensor.scalar_type().intern()));
            var shape = node.putArray("shape");
            for (long s : Tensors.shape(tensor)) {
                shape.add(s);
            }
            node.putArray("data_offsets").add(offset).add(offset + tensor.nbytes());
            offset += tensor.nbytes();
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // data stays 8-byte aligned, as the reference writer keeps it
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        prefix.flip();
        AtomicFiles.write(file, out -> {
            WritableByteChannel channel = Channels.newChannel(out);
            while (prefix.hasRemaining()) {
                channel.write(prefix);
            }
            for (Tensor tensor : sorted.values()) {
                try (PointerScope scope = new PointerScope()) {
                    NativeIo.write(channel, tensor);
                }
            }
        });
    }
}
