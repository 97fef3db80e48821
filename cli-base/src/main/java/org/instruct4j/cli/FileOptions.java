package org.instruct4j.cli;

import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The files a parsed command reads and writes, read off its {@link Reads} and {@link Writes} options (its mixins'
 * included), as one {@link FileRoles} to check before the command runs. A command declares its files; it does not
 * check them itself.
 */
public final class FileOptions {
    /** A URI scheme such as {@code hdfs:} or {@code s3a:}: a path on a file system this process cannot look at. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private FileOptions() {}

    /**
     * {@code schemelessIsLocal}: whether a path string without a scheme is on this machine's disk; under spark-submit it
     * is on the cluster's default file system, and only {@code file:} paths are checked.
     */
    public static FileRoles of(CommandSpec command, boolean schemelessIsLocal) {
        FileRoles roles = new FileRoles();
        for (ArgSpec arg : command.args()) {
            if (!(arg.userObject() instanceof Field field)) {
                continue;
            }
            Reads reads = field.getAnnotation(Reads.class);
            Writes writes = field.getAnnotation(Writes.class);
            for (Path path : localPaths(arg.getValue(), schemelessIsLocal)) {
                if (reads != null) {
                    roles.reads(name(arg), path, reads.value());
                }
                if (writes != null) {
                    roles.writes(name(arg), path, writes.value(),
                            Arrays.stream(writes.beside()).flatMap(b -> b.globs().stream()).toList());
                }
            }
        }
        return roles;
    }

    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
    }

    private static Path fileUri(String text) {
        try {
            return Path.of(URI.create(text));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(text + ": not a valid file: URI (" + e.getMessage() + ")");
        }
    }

    private static List<Path> localPaths(Object value, boolean schemelessIsLocal) {
        List<Path> paths = new ArrayList<>();
        if (value instanceof Collection<?> values) {
            values.forEach(v -> paths.addAll(localPaths(v, schemelessIsLocal)));
        } else if (value instanceof Path path) {
            paths.add(path);
        } else if (value instanceof String text && !text.isBlank()) {
            if (text.startsWith("file:/")) {
                paths.add(fileUri(text));
            } else if (schemelessIsLocal && !SCHEME.matcher(text).find()) {
                paths.add(Path.of(text));
            }
        }
        return paths;
    }
}
