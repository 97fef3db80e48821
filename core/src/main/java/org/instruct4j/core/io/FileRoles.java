package org.instruct4j.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a command reads and the files it writes, checked together before any work, so that a wrong path is a
 * bad option (exit 2, nothing written) instead of a failure halfway or, worse, a destroyed input: every input must
 * exist and be a file or a directory as its option expects; every output must be writable where it is; and no
 * output, nor any file written beside it ({@code O.failures.jsonl}, {@code report-1.png}...), may be the same file
 * as an input, also through a symbolic or hard link.
 */
public final class FileRoles {
    /** What an option names. */
    public enum Kind {
        FILE("a file"), DIRECTORY("a directory"), FILE_OR_DIRECTORY("a file or a directory");

        private final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private record Input(String option, Path path, Kind kind) {}

    /** {@code beside}: globs of the other files written next to it, {@code {stem}} and {@code {name}} standing for its name. */
    private record Output(String option, Path path, Kind kind, List<String> beside) {}

    private final List<Input> inputs = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();

    /** {@code option} names {@code path}, which the command reads. */
    public FileRoles reads(String option, Path path, Kind kind) {
        inputs.add(new Input(option, path, kind));
        return this;
    }

    /**
     * {@code option} names {@code path}, which the command writes, with the files it writes beside it given as globs
     * in the same directory: {@code "{stem}.failures.jsonl"} ({@code out.jsonl} gives {@code out.failures.jsonl}),
     * {@code "{stem}-*.png"}, {@code "{name}.meta.json"} ({@code out} gives {@code out.meta.json}).
     */
    public FileRoles writes(String option, Path path, Kind kind, List<String> beside) {
        outputs.add(new Output(option, path, kind, List.copyOf(beside)));
        return this;
    }

    /** Throws {@link BadInputException} naming the option(s) at the first problem found. */
    public void check() {
        inputs.forEach(FileRoles::checkInput);
        for (int i = 0; i < outputs.size(); i++) {
            Output output = outputs.get(i);
            for (Input input : inputs) {
                checkDistinct(output, input);
            }
            for (Output other : outputs.subList(i + 1, outputs.size())) {
                if (sameTarget(output.path(), other.path())) {
                    throw new BadInputException(output.option() + " " + output.path() + " and " + other.option() + " "
                            + other.path() + " are the same file; give each its own");
                }
            }
        }
        outputs.forEach(FileRoles::checkOutput);
    }

    private static void checkInput(Input input) {
        Path path = input.path();
        if (!Files.exists(path)) {
            throw new BadInputException(path + ": no such " + (input.kind() == Kind.DIRECTORY ? "directory" : "file")
                    + " (" + input.option() + ")");
        }
        checkKind(input.option(), path, input.kind());
        if (!Files.isReadable(path)) {
            throw new BadInputException(path + ": permission denied (" + input.option() + " is read)");
        }
    }

    private static void checkOutput(Output output) {
        Path path = output.path();
        if (Files.exists(path)) {
            checkKind(output.option(), path, output.kind());
            if (!Files.isWritable(path)) {
                throw new BadInputException(output.option() + " " + path + " is read-only; nothing was written");
            }
        }
        Path dir = existingAncestor(path.toAbsolutePath().normalize().getParent());
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(output.option() + " " + path + ": " + dir + " is not a directory; nothing was written");
        }
        if (!Files.isWritable(dir)) {
            throw new BadInputException(output.option() + " " + path + ": the directory " + dir
                    + " is read-only (or not yours); nothing was written");
        }
    }

    private static void checkKind(String option, Path path, Kind kind) {
        boolean directory = Files.isDirectory(path);
        if (kind == Kind.FILE && directory) {
            throw new BadInputException(option + " " + path + " is a directory; " + option + " takes a file");
        }
        if (kind == Kind.DIRECTORY && !directory) {
            throw new BadInputException(option + " " + path + " is a file; " + option + " takes a directory");
        }
    }

    private static Path existingAncestor(Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? dir.getRoot() : existing;
    }

    private static void checkDistinct(Output output, Input input) {
        if (sameFile(output.path(), input.path())) {
            throw new BadInputException(output.option() + " " + output.path() + " is the same file as " + input.option() + " "
                    + input.path() + "; writing it would destroy the input, so nothing was written: choose another "
                    + output.option());
        }
        for (Path beside : besideFiles(output)) {
            if (sameFile(beside, input.path())) {
                throw new BadInputException(output.option() + " " + output.path() + " writes " + beside.getFileName()
                        + " beside it, which is the same file as " + input.option() + " " + input.path()
                        + "; writing it would destroy the input, so nothing was written: choose another " + output.option());
            }
        }
    }

    /** The existing files the globs of {@code output} match: only an existing file can be an input's link. */
    private static List<Path> besideFiles(Output output) {
        Path path = output.path().toAbsolutePath().normalize();
        Path dir = path.getParent();
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        for (String pattern : output.beside()) {
            String glob = pattern.replace("{stem}", escape(stem)).replace("{name}", escape(name));
            try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, glob)) {
                matches.forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    /** A file name as a glob that matches only itself. */
    private static String escape(String name) {
        return name.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (NoSuchFileException vanished) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare " + a + " with " + b + ": " + e.getMessage(), e);
        }
    }

    /** Two outputs collide when they are one existing file or name the same path. */
    private static boolean sameTarget(Path a, Path b) {
        return sameFile(a, b) || a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
