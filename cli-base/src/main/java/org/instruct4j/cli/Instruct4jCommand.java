package org.instruct4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.instruct4j.cli.data.DataPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command: one subcommand per pipeline stage, each from the command group that brings it (see
 * {@link CommandGroup}); the commands of groups not on the class path are listed with what they need.
 */
@Command(
        name = "instruct4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Instruction tuning with a teacher LLM, on the JVM (the GPT-4-LLM pipeline).")
public final class Instruct4jCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static CommandLine commandLine() {
        List<CommandGroup> groups = ServiceLoader.load(CommandGroup.class).stream().map(ServiceLoader.Provider::get).toList();
        Map<String, Object> commands = new LinkedHashMap<>();
        groups.forEach(group -> commands.putAll(group.commands()));
        CommandLine root = new CommandLine(new Instruct4jCommand());
        CommandTable table = CommandTable.load();
        for (CommandTable.Entry entry : table.entries()) {
            Object command = commands.remove(entry.path());
            parent(root, entry.words()).addSubcommand(entry.name(), command != null ? command : table.placeholder(entry));
        }
        commands.forEach((path, command) -> { // a command the table does not list yet still runs
            List<String> words = List.of(path.split(" "));
            parent(root, words).addSubcommand(words.get(words.size() - 1), command);
        });
        root.addSubcommand(new CommandLine.HelpCommand());
        groups.forEach(group -> group.configure(root));
        DataPaths data = new DataPaths(root::getErr);
        return CommandLines.configure(root.registerConverter(Path.class, data::convert), data::fetch);
    }

    /** The command under which {@code words} goes: the root, or the command named by all words but the last. */
    private static CommandLine parent(CommandLine root, List<String> words) {
        CommandLine parent = root;
        for (String word : words.subList(0, words.size() - 1)) {
            parent = parent.getSubcommands().get(word);
            if (parent == null) {
                throw new IllegalStateException("command " + String.join(" ", words) + " comes before its parent");
            }
        }
        return parent;
    }
}
