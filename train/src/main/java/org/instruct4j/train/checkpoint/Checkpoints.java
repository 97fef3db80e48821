package org.instruct4j.train.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of a run, {@code checkpoints/step-000040/}. A checkpoint is written into a hidden temporary
 * directory, every file and the directory are synced to disk, and only then is it renamed to its final name
 * (an atomic rename on one file system). A process killed during a save leaves at most a temporary
 * directory, which is never taken for a checkpoint and is removed on the next start; only the last
 * {@code keep} checkpoints are kept.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("step-(\\d+)");
    private static final String TEMP_PREFIX = ".incomplete-";

    private final Path root;
    private final int keep;

    @FunctionalInterface
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    public Checkpoints(Path root, int keep) {
        this.root = root;
        this.keep = keep;
    }

    public Path root() {
        return root;
    }

    /** The finished checkpoints, oldest first. */
    public List<Path> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d) && NAME.matcher(d.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(Checkpoints::step))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public static long step(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException(checkpoint + " is not a checkpoint directory (step-N)");
        }
        return Long.parseLong(m.group(1));
    }

    /** Writes checkpoint {@code step} atomically, then deletes the oldest beyond {@code keep}. */
    public Path save(long step, Writer writer) {
        Path target = root.resolve(String.format("step-%06d", step));
        Path temp = root.resolve(TEMP_PREFIX + target.getFileName() + "-" + System.nanoTime());
        try {
            Files.createDirectories(root);
            Files.createDirectory(temp);
            writer.write(temp);
            try (Stream<Path> files = Files.list(temp)) {
                for (Path file : files.toList()) {
                    sync(file);
                }
            }
            sync(temp);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            sync(root);
        } catch (IOException e) {
            throw failed(target, e);
        } catch (UncheckedIOException e) {
            throw failed(target, e.getCause());
        } finally {
            if (Files.exists(temp)) {
                deleteTree(temp);
            }
        }
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i));
        }
        return target;
    }

    /**
     * The error of a save that failed: which checkpoint and why, and when the disk is full, that the checkpoints
     * written before are intact and how to go on.
     */
    private UncheckedIOException failed(Path target, IOException cause) {
        String message = "cannot write checkpoint " + target + ": " + cause.getMessage();
        if (diskFull(cause)) {
            message += "; the disk is full. " + latest().map(previous -> "The previous checkpoint " + previous + " is intact: ")
                    .orElse("No earlier checkpoint: ") + "free some space and rerun with --resume";
        }
        return new UncheckedIOException(message, cause);
    }

    /** ENOSPC or EDQUOT, as the JDK words them on Linux and macOS. */
    private static boolean diskFull(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            String text = String.valueOf(e.getMessage());
            if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /** Removes what a killed save left behind. */
    public void removeIncomplete() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> d.getFileName().toString().startsWith(TEMP_PREFIX)).forEach(Checkpoints::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
