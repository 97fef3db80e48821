package org.instruct4j.teacher.batch;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Batch API input file being written to disk (so a 200 MB file never sits in memory), with the
 * custom_ids it holds in order and the SHA-256 of its content, which identifies the batch made from it.
 */
final class ChunkFile implements AutoCloseable {
    /** A finished input file: what was written, in order, and its digest. */
    record Chunk(int number, Path file, List<String> customIds, String digest, long bytes) {}

    private final int number;
    private final Path file;
    private final OutputStream out;
    private final MessageDigest sha256;
    private final List<String> customIds = new ArrayList<>();
    private long bytes;

    private ChunkFile(int number, Path file, OutputStream out, MessageDigest sha256) {
        this.number = number;
        this.file = file;
        this.out = out;
        this.sha256 = sha256;
    }

    static ChunkFile create(int number, Path file) {
        try {
            return new ChunkFile(number, file, new BufferedOutputStream(Files.newOutputStream(file), 1 << 16),
                    MessageDigest.getInstance("SHA-256"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch input file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether one more line of {@code lineBytes} (plus its newline) stays within both limits. */
    boolean fits(int lineBytes, int maxRequests, long maxBytes) {
        return customIds.size() < maxRequests && bytes + lineBytes + 1 <= maxBytes;
    }

    boolean isEmpty() {
        return customIds.isEmpty();
    }

    void add(String customId, byte[] line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch input file " + file + ": " + e.getMessage(), e);
        }
        sha256.update(line);
        sha256.update((byte) '\n');
        customIds.add(customId);
        bytes += line.length + 1;
    }

    Chunk finish() {
        close();
        return new Chunk(number, file, List.copyOf(customIds), HexFormat.of().formatHex(sha256.digest()), bytes);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch input file " + file + ": " + e.getMessage(), e);
        }
    }
}
