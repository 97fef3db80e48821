package org.instruct4j.spark.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.instruct4j.core.io.AtomicFiles;

/**
 * The few filesystem operations a job does outside Spark's writers, on whatever filesystem its output is (local
 * disk, HDFS, S3, ...), with I/O errors turned into unchecked exceptions naming the path.
 */
public final class HadoopFiles {
    private HadoopFiles() {}

    public static boolean exists(FileSystem fs, Path path) {
        try {
            return fs.exists(path);
        } catch (IOException e) {
            throw failure("cannot check", path, e);
        }
    }

    /** The data files directly in {@code dir}, by name: no directories, nothing hidden ("_" or "." first). */
    public static List<FileStatus> dataFiles(FileSystem fs, Path dir) {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            return Arrays.stream(fs.listStatus(dir))
                    .filter(status -> status.isFile() && !hidden(status.getPath().getName()))
                    .sorted((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()))
                    .toList();
        } catch (IOException e) {
            throw failure("cannot list", dir, e);
        }
    }

    /** The subdirectories of {@code dir}, by name. */
    public static List<Path> directories(FileSystem fs, Path dir) {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            return Arrays.stream(fs.listStatus(dir)).filter(FileStatus::isDirectory).map(FileStatus::getPath)
                    .sorted((a, b) -> a.getName().compareTo(b.getName())).toList();
        } catch (IOException e) {
            throw failure("cannot list", dir, e);
        }
    }

    public static boolean hidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    public static List<String> readLines(FileSystem fs, Path file) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw failure("cannot read", file, e);
        }
        return lines;
    }

    public static String readString(FileSystem fs, Path file) {
        return String.join("\n", readLines(fs, file));
    }

    /**
     * Writes a whole file: atomically on the local disk (temporary file and rename); elsewhere through a temporary
     * file that replaces the old one, so a reader sees the old or the new content, or for an instant none.
     */
    public static void writeString(FileSystem fs, Path file, String content) {
        if (isLocal(fs)) {
            AtomicFiles.writeString(java.nio.file.Path.of(file.toUri()), content);
            return;
        }
        Path temporary = new Path(file.getParent(), "." + file.getName() + ".tmp");
        try {
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(file, false);
            if (!fs.rename(temporary, file)) {
                throw new IOException("rename from " + temporary + " failed");
            }
        } catch (IOException e) {
            throw failure("cannot write", file, e);
        }
    }

    /** Moves a file into {@code dir} under {@code name}, creating the directory. */
    public static void move(FileSystem fs, Path file, Path dir, String name) {
        try {
            fs.mkdirs(dir);
            if (!fs.rename(file, new Path(dir, name))) {
                throw new IOException("rename returned false");
            }
        } catch (IOException e) {
            throw failure("cannot move " + file + " to", dir, e);
        }
    }

    public static void copyFromLocal(FileSystem fs, java.nio.file.Path local, Path target) {
        try {
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), target);
        } catch (IOException e) {
            throw failure("cannot copy " + local + " to", target, e);
        }
    }

    public static void delete(FileSystem fs, Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException e) {
            throw failure("cannot delete", path, e);
        }
    }

    /** Whether the filesystem is the local disk, where Java's own file operations (atomic moves, locks) apply. */
    public static boolean isLocal(FileSystem fs) {
        return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
    }

    private static UncheckedIOException failure(String what, Path path, IOException e) {
        return new UncheckedIOException(what + " " + path + ": " + e.getMessage(), e);
    }
}
