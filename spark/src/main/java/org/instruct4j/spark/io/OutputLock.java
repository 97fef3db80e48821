package org.instruct4j.spark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

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
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another instruct4j job is writing " + paths.rows() + "; wait for it or stop it first");
            }
            return new OutputLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
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
