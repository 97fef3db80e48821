package org.instruct4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes whole lines at the end of a file, each in one write. A write that fails midway (the disk filled up) is cut
 * back, so the file still ends with a complete line and the next line, once there is space again, does not continue
 * a torn one. Not thread-safe: its owner serialises the calls.
 */
public final class LineWriter {
    private final FileChannel channel;
    private final Path file;

    /** {@code channel} is open for writing on {@code file}, positioned at its end. */
    public LineWriter(FileChannel channel, Path file) {
        this.channel = channel;
        this.file = file;
    }

    /** Appends {@code line} and a newline; on failure, names the file and says whether the disk is full. */
    public void append(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long start = -1;
        try {
            start = channel.position();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            cutBackTo(start);
            throw WriteFailure.of("append to", file, e);
        }
    }

    private void cutBackTo(long start) {
        if (start < 0) {
            return;
        }
        try {
            channel.truncate(start);
            channel.position(start);
        } catch (IOException ignored) {
            // reading the file cuts a torn last line off as well
        }
    }
}
