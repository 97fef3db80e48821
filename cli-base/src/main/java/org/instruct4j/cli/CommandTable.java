package org.instruct4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code command-groups.txt}: every command in the order {@code --help} lists it, with the module (command group) that
 * runs it, and what each group downloads. The launcher reads the same file to pick a command line's group.
 */
final class CommandTable {
    private static final String RESOURCE = "command-groups.txt";

    /** One command: its path ({@code "eval answer"}) and the module that runs it. */
    record Entry(String path, String module) {
        List<String> words() {
            return List.of(path.split(" "));
        }

        String name() {
            return path.substring(path.lastIndexOf(' ') + 1);
        }
    }

    private final List<Entry> entries;
    private final Map<String, String> groups;

    private CommandTable(List<Entry> entries, Map<String, String> groups) {
        this.entries = entries;
        this.groups = groups;
    }

    static CommandTable load() {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> groups = new LinkedHashMap<>();
        try (InputStream in = CommandTable.class.getResourceAsStream(RESOURCE);
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                String[] fields = line.strip().split("\\s+", 2);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (fields[0].endsWith(":")) {
                    groups.put(fields[0].substring(0, fields[0].length() - 1), fields[1]);
                } else {
                    entries.add(new Entry(fields[1].replaceAll("\\s+", " "), fields[0]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new CommandTable(List.copyOf(entries), Map.copyOf(groups));
    }

    List<Entry> entries() {
        return entries;
    }

    /** What a group's module brings, for messages. */
    String brings(String module) {
        return groups.getOrDefault(module, module);
    }

    /**
     * A stand-in for a command whose group is not on this class path: listed in the help with what it needs, and an
     * error saying so when run.
     */
    CommandLine placeholder(Entry entry) {
        String needs = "comes with the " + entry.module() + " group (" + brings(entry.module()) + ")";
        Callable<Integer> absent = () -> {
            throw new IllegalStateException("instruct4j " + entry.path() + " " + needs + ", which is not on this class path: "
                    + "run it through ./instruct4j, which builds that group on first use");
        };
        CommandSpec spec = CommandSpec.wrapWithoutInspection(absent).name(entry.name());
        spec.usageMessage().description("[" + needs + "; ./instruct4j builds it on first use]");
        spec.parser().unmatchedArgumentsAllowed(true);
        return new CommandLine(spec);
    }
}
