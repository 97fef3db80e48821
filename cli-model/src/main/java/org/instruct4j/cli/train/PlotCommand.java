package org.instruct4j.cli.train;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.train.plot.LossCurves;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code instruct4j train plot}: loss curves of runs as HTML and PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw the training and held-out loss of one or more runs (their metrics.jsonl) as an HTML page and a PNG.")
public final class PlotCommand implements Runnable {
    @Reads(FileRoles.Kind.DIRECTORY)
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory (repeatable to compare runs).")
    List<Path> runs;

    @Writes(beside = Beside.PLOT)
    @Option(names = "--output", required = true, paramLabel = "FILE.html", description = "HTML file; the PNG is written beside it.")
    Path output;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Path png = LossCurves.write(runs, output);
        spec.commandLine().getOut().println("wrote " + output + " and " + png);
    }
}
