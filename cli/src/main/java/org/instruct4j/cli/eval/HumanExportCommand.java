package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.human.AnnotationStore;
import org.instruct4j.eval.human.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes every judgment as JSONL: {pair_id, question_id, category, annotator, model_a, model_b,",
            "left (whose answer was shown on the left: A or B), helpfulness, honesty, harmlessness (A, B or tie), created_at}."})
final class HumanExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", defaultValue = "sqlite:annotations.db", paramLabel = "sqlite:FILE|jdbc:postgresql://...",
            description = "The annotation database (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--output", required = true, paramLabel = "J.jsonl", description = "Output (written atomically).")
    Path output;

    @Override
    public Integer call() {
        StringBuilder lines = new StringBuilder();
        int[] rows = {0};
        AnnotationStore.open(Database.of(db)).export(row -> {
            lines.append(Json.line(row)).append('\n');
            rows[0]++;
        });
        AtomicFiles.writeString(output, lines.toString());
        spec.commandLine().getErr().printf("exported %,d judgments to %s%n", rows[0], output);
        return 0;
    }
}
