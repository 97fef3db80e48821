package org.instruct4j.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An output that could not be written, said plainly: which file, why, and when the disk (or the user's quota) is
 * full, that this is the reason and what to do. Java has no exception type for ENOSPC, only the system's message.
 */
public final class WriteFailure {
    private static final String[] FULL = {"No space left on device", "Disk quota exceeded"};

    private WriteFailure() {}

    /** {@code "cannot " + action + " " + file + ": " + reason}, e.g. {@code of("append to", out, e)}. */
    public static UncheckedIOException of(String action, Path file, IOException e) {
        String reason = reason(e);
        String message = "cannot " + action + " " + file + ": " + (isDiskFull(e)
                ? "the disk is full (" + reason + "); free some space, then run the same command again"
                : reason);
        return new UncheckedIOException(message, e);
    }

    /** Whether {@code e} (or a cause) is the file system running out of space or quota. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t instanceof FileSystemException fs ? fs.getReason() : t.getMessage();
            for (String full : FULL) {
                if (text != null && text.contains(full)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The system's reason without the file name Java repeats in front of it; file-system exceptions that carry only a
     * file name ({@code AccessDeniedException: out.jsonl}) are named by what they mean.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            if (fs.getReason() != null) {
                return fs.getReason();
            }
            return switch (fs) {
                case java.nio.file.AccessDeniedException denied -> "permission denied";
                case java.nio.file.NoSuchFileException missing -> "no such file or directory";
                case java.nio.file.FileAlreadyExistsException exists -> "it already exists";
                case java.nio.file.NotDirectoryException notDirectory -> "not a directory";
                default -> fs.getClass().getSimpleName();
            };
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
