package org.instruct4j.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/** The one way instruct4j keeps two processes (or two jobs in one JVM) from writing the same output. */
public final class FileLocks {
    private FileLocks() {}

    /**
     * An exclusive lock on {@code channel}'s file, released when it is closed or the process dies; fails at once,
     * naming {@code output}, when someone else holds it.
     */
    public static FileLock exclusive(FileChannel channel, Object output) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new IllegalStateException("another instruct4j process is writing " + output + "; wait for it or stop it first");
        }
        return lock;
    }
}
