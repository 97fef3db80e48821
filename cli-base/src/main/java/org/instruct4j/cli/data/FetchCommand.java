package org.instruct4j.cli.data;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.instruct4j.fetch.data.DataFile;
import org.instruct4j.fetch.data.DataFiles;
import org.instruct4j.fetch.data.Licence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code instruct4j data fetch NAME|all}: the public files from their origins into the cache, checked against pinned hashes. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download public data files from their GitHub or Hugging Face origins into the cache, resumably.",
            "Every file is checked against its pinned SHA-256 (or git blob id) and size; their licences are shown first.",
            "A file the offline mirror holds is checked there and not downloaded. Run again to resume."})
public final class FetchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Names or folders from `instruct4j data list`, or all.")
    List<String> names;

    @Mixin
    DataOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataFiles files = options.files(spec.commandLine().getErr());
        Set<DataFile> selected = new LinkedHashSet<>();
        names.forEach(name -> selected.addAll(files.catalog().select(name)));
        printLicences(out, selected);
        List<String> failures = new ArrayList<>();
        for (DataFile file : selected) {
            try {
                DataFiles.Place before = files.place(file);
                out.println((before == DataFiles.Place.NOT_HERE ? "fetched  " : "checked  ") + files.local(file));
            } catch (IllegalStateException | java.io.UncheckedIOException e) {
                failures.add(e.getMessage());
            }
            out.flush();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " of " + selected.size() + " files could not be fetched: "
                    + String.join("; ", failures));
        }
        return 0;
    }

    /** Each licence once, with the files under it, before anything is downloaded. */
    private static void printLicences(PrintWriter out, Set<DataFile> files) {
        Map<Licence, List<String>> byLicence = new LinkedHashMap<>();
        files.forEach(f -> byLicence.computeIfAbsent(f.licence(), l -> new ArrayList<>()).add(f.name()));
        out.println("Licences of these files (by fetching them you accept them):");
        byLicence.forEach((licence, names) -> out.println("  " + licence.describe() + ": " + names.size() + " file"
                + (names.size() == 1 ? "" : "s") + ", e.g. " + names.get(0)));
        out.flush();
    }
}
