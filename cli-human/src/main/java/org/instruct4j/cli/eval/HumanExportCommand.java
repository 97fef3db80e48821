package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.human.AnnotationStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes every judgment as JSONL.",
            "{pair_id, question_id, category, annotator, model_a, model_b, left (whose answer was shown on the left: A or "
                + "B), helpfulness, honesty, harmlessness (A, B or tie), created_at}."})
final class HumanExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AnnotationDbOption db;

    @Writes
    @Option(names = "--output", required = true, paramLabel = "J.jsonl", description = "Output (written atomically).")
    Path output;

    @Override
    public Integer call() {
        StringBuilder lines = new StringBuilder();
        int[] rows = {0};
        try (AnnotationStore store = db.open()) {
            store.export(row -> {
                lines.append(Json.line(row)).append('\n');
                rows[0]++;
            });
        }
        AtomicFiles.writeString(output, lines.toString());
        spec.commandLine().getErr().printf("exported %,d judgments to %s%n", rows[0], output);
        return 0;
    }
}
