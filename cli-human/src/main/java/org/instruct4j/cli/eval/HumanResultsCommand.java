package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.eval.human.AnnotationStore;
import org.instruct4j.eval.human.HumanResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Win / tie / lose per criterion for each pair of models, like GPT-4-LLM's Figure 3.",
            "Prints a table; --output writes an HTML page with a chart per model pair and a PNG of each."})
final class HumanResultsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AnnotationDbOption db;

    @Writes(beside = Beside.CHARTS)
    @Option(names = "--output", paramLabel = "results.html", description = "HTML page; PNGs are written beside it.")
    Path output;

    @Writes
    @Option(names = "--json", paramLabel = "results.json", description = "The counts as JSON.")
    Path json;

    @Override
    public Integer call() {
        HumanResults results;
        try (AnnotationStore store = db.open()) {
            results = HumanResults.of(store.judgments());
        }
        spec.commandLine().getOut().print(results.text());
        spec.commandLine().getOut().flush();
        if (output != null) {
            results.writeHtml(output);
        }
        if (json != null) {
            AtomicFiles.writeString(json, results.json().toPrettyString() + "\n");
        }
        return 0;
    }
}
