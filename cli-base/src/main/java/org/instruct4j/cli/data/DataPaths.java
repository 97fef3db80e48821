package org.instruct4j.cli.data;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.instruct4j.fetch.data.DataFiles;

/**
 * {@code data:NAME} wherever a command takes a file or folder: the path the data layer gives NAME (the mirror's copy,
 * else the cache's). Parsing only checks the name and works out the path (an unknown name is a bad option); the files
 * are fetched just before the command runs ({@link #fetch}), so a failed download is a failure, not bad input.
 */
public final class DataPaths {
    public static final String PREFIX = "data:";

    private final Supplier<PrintWriter> err;
    private final Set<String> named = new LinkedHashSet<>();
    private DataFiles files;

    /** {@code err} hears each download, with its licence. */
    public DataPaths(Supplier<PrintWriter> err) {
        this.err = err;
    }

    /** A path option's value: {@code data:NAME} through the data layer, anything else as written. */
    public Path convert(String value) {
        if (!value.startsWith(PREFIX)) {
            return Path.of(value);
        }
        String name = value.substring(PREFIX.length());
        Path location = files().location(name);
        named.add(name);
        return location;
    }

    /**
     * The same for an option kept a String (a path a Spark job may read from any file system): {@code data:NAME} as the
     * local path, fetched now; anything else as written.
     */
    public static String resolve(String value) {
        if (!value.startsWith(PREFIX)) {
            return value;
        }
        DataPaths paths = new DataPaths(() -> new PrintWriter(System.err, true));
        Path path = paths.convert(value);
        paths.fetch();
        return path.toString();
    }

    /** Makes every file named so far available: checked, and downloaded when it is not here. */
    public void fetch() {
        named.forEach(name -> files().path(name));
    }

    private DataFiles files() {
        if (files == null) {
            files = new DataOptions().files(err.get());
        }
        return files;
    }
}
