package org.instruct4j.fetch.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.instruct4j.fetch.Downloader;
import org.instruct4j.fetch.Endpoints;
import org.instruct4j.fetch.Transfer;

/**
 * The project's public data, by name: a file comes from the offline mirror when one is given and holds it, else from
 * the cache, else it is downloaded from its origins into the cache (resumably, tried in order). Every file is checked
 * against its pinned size and hashes before it is used, once per instance; a mirror copy that differs is an error,
 * a cached one is fetched again.
 */
public final class DataFiles {
    /** Where a file is found. */
    public enum Place { MIRROR, CACHE, NOT_HERE }

    private final DataCatalog catalog;
    private final Path mirror;
    private final Path cache;
    private final Endpoints endpoints;
    private final Downloader downloader;
    private final Consumer<String> log;
    private final Transfer transfer;
    private final Set<Path> checked = ConcurrentHashMap.newKeySet();

    /**
     * @param mirror a folder laid out by data name, or null
     * @param log    hears one line per file fetched from an origin, with its licence
     */
    public DataFiles(DataCatalog catalog, Path mirror, Path cache, Endpoints endpoints, Downloader downloader,
            Consumer<String> log, Transfer transfer) {
        this.catalog = catalog;
        this.mirror = mirror;
        this.cache = cache;
        this.endpoints = endpoints;
        this.downloader = downloader;
        this.log = log;
        this.transfer = transfer;
    }

    /** The mirror and cache the environment names ({@link #mirrorFromEnvironment()}, {@link #cacheFromEnvironment()}). */
    public static DataFiles fromEnvironment(Consumer<String> log, Transfer transfer) {
        return new DataFiles(DataCatalog.load(), mirrorFromEnvironment().orElse(null), cacheFromEnvironment(),
                Endpoints.fromEnvironment(), new Downloader(), log, transfer);
    }

    /** {@code INSTRUCT4J_DATA_MIRROR}, when set. */
    public static Optional<Path> mirrorFromEnvironment() {
        String mirror = System.getenv("INSTRUCT4J_DATA_MIRROR");
        return mirror == null || mirror.isBlank() ? Optional.empty() : Optional.of(Path.of(mirror));
    }

    /** {@code INSTRUCT4J_DATA_CACHE}, else {@code $XDG_CACHE_HOME/instruct4j/data}, else {@code ~/.cache/instruct4j/data}. */
    public static Path cacheFromEnvironment() {
        String cache = System.getenv("INSTRUCT4J_DATA_CACHE");
        if (cache != null && !cache.isBlank()) {
            return Path.of(cache);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("instruct4j").resolve("data");
    }

    public DataCatalog catalog() {
        return catalog;
    }

    /** The mirror, if any. */
    public Optional<Path> mirror() {
        return Optional.ofNullable(mirror);
    }

    public Path cache() {
        return cache;
    }

    /**
     * A local path for {@code name}, fetching what is not here: a file, or for a folder name a folder holding every
     * file under it (the mirror's when it has them all, else the cache's).
     */
    public Path path(String name) {
        List<DataFile> files = catalog.select(name);
        if (catalog.isFile(name)) {
            return local(files.get(0));
        }
        if (mirror != null && files.stream().allMatch(f -> place(f) == Place.MIRROR)) {
            return mirror.resolve(folder(name));
        }
        files.forEach(this::cached);
        return cache.resolve(folder(name));
    }

    /** Where {@link #path} gives {@code name}, found without checking or fetching anything. */
    public Path location(String name) {
        boolean inMirror = mirror != null && catalog.select(name).stream().allMatch(f -> Files.exists(mirror.resolve(f.name())));
        return (inMirror ? mirror : cache).resolve(folder(name));
    }

    /** The relative folder of a name: itself, or nothing for {@code all}. */
    private static String folder(String name) {
        return DataCatalog.ALL.equals(name) ? "" : name;
    }

    /** Where {@code file} is now; a copy that does not match its hashes does not count (a mirror's is an error). */
    public Place place(DataFile file) {
        if (mirror != null && Files.exists(mirror.resolve(file.name()))) {
            verified(mirror.resolve(file.name()), file, true);
            return Place.MIRROR;
        }
        Path cached = cache.resolve(file.name());
        return Files.exists(cached) && verified(cached, file, false) ? Place.CACHE : Place.NOT_HERE;
    }

    /** The local copy of {@code file}: the mirror's, else the cache's, downloaded first when missing. */
    public Path local(DataFile file) {
        return place(file) == Place.MIRROR ? mirror.resolve(file.name()) : cached(file);
    }

    /** The cache's copy of {@code file}, copied from the mirror or downloaded when missing. */
    private Path cached(DataFile file) {
        Path target = cache.resolve(file.name());
        Place place = place(file);
        if (place == Place.CACHE) {
            return target;
        }
        if (place == Place.MIRROR) {
            copy(mirror.resolve(file.name()), target);
        } else {
            download(file, target);
        }
        checked.add(target);
        return target;
    }

    private void download(DataFile file, Path target) {
        List<String> failures = new ArrayList<>();
        for (Origin origin : file.origins()) {
            Downloader.Source source = origin.source(endpoints);
            log.accept("fetching " + file.name() + " from " + source.shown() + " - licence: " + file.licence().describe());
            try {
                downloader.download(source, file.expected(), target, file.name(), transfer);
                return;
            } catch (IllegalStateException | UncheckedIOException e) {
                failures.add(e.getMessage());
            }
        }
        throw new IllegalStateException("cannot fetch " + file.name() + ": " + String.join("; ", failures)
                + (mirror == null ? " (offline? set INSTRUCT4J_DATA_MIRROR to a folder holding the files)" : ""));
    }

    private boolean verified(Path path, DataFile file, boolean mustMatch) {
        if (checked.contains(path)) {
            return true;
        }
        try {
            Optional<String> wrong = file.expected().mismatch(path);
            if (wrong.isEmpty()) {
                checked.add(path);
                return true;
            }
            if (mustMatch) {
                throw new IllegalStateException("the mirror's " + path + " is not the pinned " + file.name() + " (" + wrong.get() + ")");
            }
            Files.delete(path); // a stale or damaged cache entry; it is fetched again
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Path partial = to.resolveSibling(to.getFileName() + ".copying");
            Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " into the cache: " + e.getMessage(), e);
        }
    }
}
