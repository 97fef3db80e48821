package org.instruct4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The crash-safe output of every long job: a JSONL file that is only ever appended to, one complete
 * line per write. Opening it recovers from an abrupt stop: a torn last line (the process was killed
 * mid-write) is cut off, and the ids already present are loaded so the job skips them. An id is never
 * written twice, and an exclusive lock stops two processes from appending to the same file.
 */
public final class JsonlAppender implements AutoCloseable {
    private final Path file;
    private final String idField;
    private final FileChannel channel;
    private final LineWriter lines;
    private final FileLock lock;
    private final Set<String> ids;
    private final long recoveredBytes;

    private JsonlAppender(Path file, String idField, FileChannel channel, FileLock lock, Set<String> ids, long recoveredBytes) {
        this.file = file;
        this.idField = idField;
        this.channel = channel;
        this.lines = new LineWriter(channel, file);
        this.lock = lock;
        this.ids = ids;
        this.recoveredBytes = recoveredBytes;
    }

    /** Opens (creating if needed) {@code file}, whose rows are keyed by {@code idField}. */
    public static JsonlAppender open(Path file, String idField) {
        FileChannel channel = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = FileLocks.exclusive(channel, file);
            long torn = cutTornTail(channel);
            Set<String> ids = readIds(file, idField, channel.size());
            channel.position(channel.size());
            return new JsonlAppender(file, idField, channel, lock, ids, torn);
        } catch (IOException e) {
            closeQuietly(channel);
            throw WriteFailure.of("open for appending", file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Truncates an incomplete last line left by a crash; returns how many bytes were dropped. */
    private static long cutTornTail(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return 0;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        long end = size;
        while (end > 0) {
            one.clear();
            channel.read(one, end - 1);
            if (one.get(0) == '\n') {
                break;
            }
            end--;
        }
        if (end < size) {
            channel.truncate(end);
            channel.force(true);
        }
        return size - end;
    }

    private static Set<String> readIds(Path file, String idField, long size) {
        Set<String> ids = new HashSet<>();
        if (size == 0) {
            return ids;
        }
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                JsonNode id = row.node().get(idField);
                if (id == null || id.isNull()) {
                    throw row.error(idField, "missing in an existing output row; this file was not written by this command");
                }
                ids.add(id.asText());
            }
        }
        return ids;
    }

    /** The ids already in the file (including those appended since it was opened). */
    public synchronized Set<String> ids() {
        return Collections.unmodifiableSet(new HashSet<>(ids));
    }

    public synchronized boolean contains(String id) {
        return ids.contains(id);
    }

    /** Bytes of a torn last line that opening the file removed (0 after a clean stop). */
    public long recoveredBytes() {
        return recoveredBytes;
    }

    /**
     * Appends one row as a single write of one complete line. Returns false, writing nothing, when a
     * row with the same id is already in the file.
     */
    public synchronized boolean append(ObjectNode row) {
        JsonNode idNode = row.get(idField);
        if (idNode == null || idNode.isNull()) {
            throw new IllegalArgumentException("row has no " + idField + ": " + row);
        }
        String id = idNode.asText();
        if (ids.contains(id)) {
            return false;
        }
        lines.append(Json.line(row));
        ids.add(id);
        return true;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            if (channel.isOpen()) {
                channel.force(true);
                lock.release();
            }
        } catch (IOException e) {
            throw WriteFailure.of("close", file, e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing after a failure; the failure is what gets reported
        }
    }
}
