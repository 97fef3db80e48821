package org.instruct4j.model.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint's tensors by their Hugging Face names, read in place from memory-mapped files (no copy, any size:
 * a mapping is not limited to 2 GiB), with the order its q/k rows are in. Closing it unmaps the files.
 */
public final class MappedCheckpoint implements AutoCloseable {
    private final Arena arena;
    private final Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    private final RopeLayout ropeLayout;
    private final String source;

    MappedCheckpoint(Arena arena, RopeLayout ropeLayout, String source) {
        this.arena = arena;
        this.ropeLayout = ropeLayout;
        this.source = source;
    }

    /** Maps all of {@code file} read-only into {@code arena}. */
    static MemorySegment mapFile(Path file, Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file + ": " + e.getMessage(), e);
        }
    }

    void put(StoredTensor tensor) {
        tensors.put(tensor.name(), tensor);
    }

    Arena arena() {
        return arena;
    }

    /** The tensor, or an error naming the checkpoint and the missing name. */
    public StoredTensor require(String name) {
        StoredTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(source + ": checkpoint has no tensor '" + name + "'");
        }
        return tensor;
    }

    /** A tensor some variants of an architecture have (biases), or null. */
    public StoredTensor optional(String name) {
        return tensors.get(name);
    }

    /** Every tensor, in file order. */
    public Map<String, StoredTensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public RopeLayout ropeLayout() {
        return ropeLayout;
    }

    /** The file or directory the tensors come from. */
    public String source() {
        return source;
    }

    @Override
    public void close() {
        arena.close();
    }
}
