package org.instruct4j.spark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import org.instruct4j.core.io.FileLocks;

/**
 * Keeps two jobs from writing the same output at once, as the single-machine commands' lock does: an exclusive lock
 * on a file in the output's staging directory, released when the job ends or its process dies. Only on the local
 * disk; on a distributed filesystem, running one job per output at a time is up to the user.
 */
public final class OutputLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static OutputLock acquire(JobPaths paths) {
        if (!HadoopFiles.isLocal(paths.fs())) {
            return new OutputLock(null, null);
        }
        java.nio.file.Path file = java.nio.file.Path.of(paths.staging().toUri()).resolve(".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new OutputLock(channel, FileLocks.exclusive(channel, paths.rows()));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing after a failure to lock; that failure is what gets reported
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock: " + e.getMessage(), e);
        }
    }
}
