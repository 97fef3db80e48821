package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.rouge.RougeEvaluation;
import org.instruct4j.eval.rouge.RougeResult;
import org.instruct4j.eval.rouge.RougeRow;
import org.instruct4j.eval.rouge.RowScore;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "rouge", mixinStandardHelpOptions = true,
        description = {"ROUGE-1/2/L of every row's prediction against its reference, overall and by reference length.",
            "Google rouge-score's scores, averaged over all rows and, with --by-length, per bucket of the reference's "
                + "length in words as in GPT-4-LLM (0-2, 3-5, 6-10, >10). Prints a table; --output writes GPT-4-LLM's "
                + "result JSON."})
final class RougeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "F.jsonl",
            description = "Rows with a prediction and a reference (JSONL or JSON array), e.g. GPT-4-LLM's {instruction, input, output, label}.")
    Path input;

    @Mixin
    RougeOptions rouge;

    @Writes
    @Option(names = "--output", paramLabel = "R.json", description = "Result JSON: [{Length, NumInstance, Model, rouge1, rouge2, rougeL}, ...].")
    Path output;

    @Writes
    @Option(names = "--scores", paramLabel = "S.jsonl", description = "Also write every row's scores: {id, reference_words, length, rouge1, rouge2, rougeL}.")
    Path scores;

    @Override
    public Integer call() {
        RougeTokenizer chosen = RougeTokenizer.named(rouge.tokenizer());
        List<RougeRow> rows = RougeEvaluation.read(input, rouge.predictionField(), rouge.referenceField());
        RougeResult result = new RougeEvaluation(rouge.stemmer(), chosen).evaluate(rouge.modelName() != null ? rouge.modelName() : RougeEvaluation.defaultModelName(input, input.getFileName().toString()), rows);
        spec.commandLine().getOut().print(result.table(rouge.byLength()));
        spec.commandLine().getOut().flush();
        if (output != null) {
            AtomicFiles.writeString(output, result.json(rouge.byLength()));
        }
        if (scores != null) {
            StringBuilder lines = new StringBuilder();
            for (RowScore row : result.rows()) {
                lines.append(Json.line(row.toJson())).append('\n');
            }
            AtomicFiles.writeString(scores, lines.toString());
        }
        return 0;
    }
}
