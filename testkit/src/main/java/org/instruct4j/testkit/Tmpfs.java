package org.instruct4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory for a test, to make the file system full ({@code size=64k}) or read-only
 * ({@code ro}) for real. Only root can mount: elsewhere {@link #mount} is empty and the test skips itself
 * ({@code assumeTrue(fs.isPresent())}). Close it to unmount.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs with {@code options} (for example {@code "size=64k"}) on {@code dir}, created if needed. */
    public static Optional<Tmpfs> mount(Path dir, String options) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()) ? Optional.of(new Tmpfs(dir)) : Optional.empty();
    }

    public Path dir() {
        return dir;
    }

    /** Fills the file system up to the last {@code leftBytes} bytes with a file named {@code name}. */
    public Path fill(String name, long leftBytes) {
        Path filler = dir.resolve(name);
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            Files.write(filler, new byte[(int) Math.max(0, free - leftBytes)]);
            return filler;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fill " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!run("umount", dir.toString())) {
            throw new IllegalStateException("cannot unmount the test tmpfs on " + dir);
        }
    }

    private static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
