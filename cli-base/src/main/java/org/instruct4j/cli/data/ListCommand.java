package org.instruct4j.cli.data;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.instruct4j.fetch.ExpectedFile;
import org.instruct4j.fetch.data.DataCatalog;
import org.instruct4j.fetch.data.DataFile;
import org.instruct4j.fetch.data.DataFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code instruct4j data list}: the public files the project uses, their licences and whether they are here. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the public data files by name: size, licence, whether the mirror or the cache holds them, what they are.")
public final class ListCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Names or folders to list (default: all).")
    List<String> names = List.of(DataCatalog.ALL);

    @Mixin
    DataOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        DataFiles files = options.files(spec.commandLine().getErr());
        for (String name : names) {
            for (DataFile file : files.catalog().select(name)) {
                out.printf(Locale.ROOT, "%-72s %10s  %-9s %-26s %s%n", file.name(), size(file.expected()), place(files, file),
                        file.licence().name(), file.about());
            }
        }
        out.flush();
        return 0;
    }

    private static String place(DataFiles files, DataFile file) {
        return switch (files.place(file)) {
            case MIRROR -> "mirror";
            case CACHE -> "cache";
            case NOT_HERE -> "-";
        };
    }

    private static String size(ExpectedFile expected) {
        return expected.size() == ExpectedFile.UNKNOWN_SIZE ? "?" : String.format(Locale.ROOT, "%,d", expected.size());
    }
}
