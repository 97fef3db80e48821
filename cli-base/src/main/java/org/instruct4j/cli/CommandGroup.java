package org.instruct4j.cli;

import java.util.Map;
import picocli.CommandLine;

/**
 * The commands one module brings, with only what that module needs on the class path (a command group). The root
 * command finds the groups present with {@link java.util.ServiceLoader}; {@code ./instruct4j} puts on the class path
 * only the group a command line needs, as {@code command-groups.txt} says.
 */
public interface CommandGroup {
    /** This group's commands by their path in the command tree ({@code "train"}, {@code "eval answer"}). */
    Map<String, Object> commands();

    /** Finishes the assembled command line (help footers, say) once every group's commands are in place. */
    default void configure(CommandLine root) {}
}
