package org.instruct4j.cli.data;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code instruct4j data path NAME}: where a data file is, fetching it first when it is not here. */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = {"Print the local path of a data file or folder, fetching it first when it is not here.",
            "Any command also takes data:NAME where it takes a file, e.g. --input data:alpaca/seed_tasks.jsonl."})
public final class PathCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "A name from `instruct4j data list`, or a folder of them.")
    String name;

    @Mixin
    DataOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println(options.files(spec.commandLine().getErr()).path(name));
        out.flush();
        return 0;
    }
}
