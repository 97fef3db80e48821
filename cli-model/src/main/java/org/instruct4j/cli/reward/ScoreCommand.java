package org.instruct4j.cli.reward;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.train.reward.ScoreFile;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.cli.ModelRuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code instruct4j score}: every response of a file scored by a reward model. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score every response of a file with a reward model. Rows: {instruction, input, output} or {prompt, response} "
                + "(each comes back with \"reward\"), or comparison data (v2, v1, ranking pairs, chosen/rejected: one row per prompt "
                + "with a reward per response, and the pairwise accuracy against the file's preferences is printed next to the "
                + "length-only baseline)."})
public final class ScoreCommand implements Callable<Integer> {
    @Mixin
    RewardModelOptions rewardModel;

    @Mixin
    EngineOptions engine;

    @Option(names = "--prompt-format", paramLabel = "alpaca|chat|raw",
            description = "How prompt and response become the reward model's text (default: the format it was trained with).")
    String promptFormat;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSON array or JSONL of responses to score.")
    Path input;

    @Writes
    @Option(names = "--output", paramLabel = "O.jsonl", description = "Scored rows (written atomically); stdout when absent.")
    Path output;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8", description = "Responses scored together (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelRuntimeOptions runtime;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new BadInputException("--batch-size must be at least 1");
        }
        ScoreFile.Rows rows = ScoreFile.read(input);
        ScoreFile.Scored scored = ScoreFile.score(rewardModel.load(runtime, engine, promptFormat == null ? null : PromptFormat.parse(promptFormat)), rows, batchSize);
        StringBuilder lines = new StringBuilder();
        scored.rows().forEach(row -> lines.append(Json.line(row)).append('\n'));
        var out = spec.commandLine().getOut();
        if (output == null) {
            out.print(lines);
        } else {
            AtomicFiles.writeString(output, lines.toString());
        }
        ScoreFile.Summary summary = scored.summary();
        var report = output == null ? spec.commandLine().getErr() : out;
        report.printf("scored %,d responses in %,d rows%s%n", summary.responses(), summary.rows(), output == null ? "" : " -> " + output);
        if (summary.pairs() > 0) {
            report.printf("pairwise accuracy %.4f on %,d pairs (the longer response wins: %.4f; chance: 0.5)%n", summary.accuracy(),
                    summary.pairs(), summary.lengthBaseline());
        }
        report.flush();
        return 0;
    }
}
