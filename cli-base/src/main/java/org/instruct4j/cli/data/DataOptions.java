package org.instruct4j.cli.data;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.instruct4j.fetch.Downloader;
import org.instruct4j.fetch.Endpoints;
import org.instruct4j.fetch.data.DataCatalog;
import org.instruct4j.fetch.data.DataFiles;
import picocli.CommandLine.Option;

/** Where the data commands look for files: an offline mirror, the cache. */
final class DataOptions {
    @Option(names = "--mirror", paramLabel = "DIR",
            description = "An offline mirror laid out by data name (default: $INSTRUCT4J_DATA_MIRROR, if set).")
    Path mirror;

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
}
