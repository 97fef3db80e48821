package org.instruct4j.cli.data;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.fetch.Downloader;
import org.instruct4j.fetch.Endpoints;
import org.instruct4j.fetch.data.DataCatalog;
import org.instruct4j.fetch.data.DataFiles;
import org.instruct4j.fetch.data.UnknownDataNameException;
import picocli.CommandLine.Option;

/** Where the data commands look for files: an offline mirror, the cache. */
final class DataOptions {
    @Reads(FileRoles.Kind.DIRECTORY)
    @Option(names = "--mirror", paramLabel = "DIR",
            description = "An offline mirror laid out by data name (default: $INSTRUCT4J_DATA_MIRROR, if set).")
    Path mirror;

    @Writes(FileRoles.Kind.DIRECTORY)
    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where downloaded files are kept (default: $INSTRUCT4J_DATA_CACHE, else ~/.cache/instruct4j/data).")
    Path cache;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** The data layer these options describe; {@code log} hears each download, with its licence. */
    DataFiles files(PrintWriter log) {
        return new DataFiles(DataCatalog.load(), mirror != null ? mirror : DataFiles.mirrorFromEnvironment().orElse(null),
                cache != null ? cache : DataFiles.cacheFromEnvironment(), Endpoints.fromEnvironment(), new Downloader(),
                line -> {
                    log.println("instruct4j: " + line);
                    log.flush();
                }, new TransferProgress(quiet));
    }

    /** What {@code lookup} finds for a name the user gave; a name the catalog does not hold is a bad option (exit 2). */
    static <T> T byName(Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (UnknownDataNameException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
