package org.instruct4j.cli.analyze;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.report.AnalysisJson;
import org.instruct4j.analysis.report.SummaryTables;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.analysis.corenlp.VerbNounExtractor;
import org.instruct4j.analysis.verbs.VerbNounRun;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verbs", mixinStandardHelpOptions = true,
        description = {"Verb-noun structure of the texts (the paper's Figure 1).",
            "For each row, the first sentence; if its dependency root is a verb, the verb's lemma and its first "
                + "direct-object noun. Prints the unique pairs, the top pairs and the sunburst data (top 20 verbs "
                + "x top 4 nouns, count > 10) per dataset."})
final class VerbsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatasetOptions datasets;

    @Mixin
    ParserOptions parser;

    @Mixin
    TopOption topPairs;

    @Writes
    @Option(names = "--output", paramLabel = "pairs.json",
            description = "Also write the counts as JSON: totals, top pairs, sunburst, every pair (written atomically).")
    Path output;

    @Override
    public Integer call() {
        int top = topPairs.value();
        List<DatasetTexts> inputs = datasets.read();
        VerbNounExtractor extractor = parser.load(spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode json = Json.object();
        ArrayNode jsonDatasets = json.putArray("datasets");
        for (DatasetTexts texts : inputs) {
            VerbNounCounts counts = VerbNounRun.count(extractor::extract, texts, parser.threads, parser.quiet);
            out.printf("%s: %s, field \"%s\"%n%n", texts.name(), texts.file(), texts.field());
            out.println(SummaryTables.verbs(Map.of(texts.name(), counts)).toText());
            out.printf("Top %d pairs:%n%s%n", top, SummaryTables.topPairs(counts, top).toText());
            out.printf("Sunburst (top %d verbs x top %d nouns, count > %d):%n%s%n", VerbNounCounts.SUNBURST_VERBS,
                    VerbNounCounts.SUNBURST_NOUNS_PER_VERB, VerbNounCounts.SUNBURST_MIN_COUNT_EXCLUSIVE,
                    SummaryTables.sunburst(counts).toText());
            out.flush();
            jsonDatasets.add(AnalysisJson.verbs(texts, counts, top));
        }
        if (output != null) {
            AtomicFiles.writeString(output, json.toPrettyString() + "\n");
        }
        out.flush();
        return 0;
    }
}
