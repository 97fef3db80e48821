package org.instruct4j.train.sft;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonlAppender;

/**
 * metrics.jsonl of a run: one object per logged step ({@code step, epoch, loss, lr, grad_norm,
 * tokens_per_second}, and {@code eval_loss} when the held-out loss was measured at that step), appended one
 * complete line at a time. When a run resumes from a checkpoint, rows of the steps after it (from the
 * interrupted attempt) are removed first, so the file always describes one continuous run.
 */
final class MetricsLog implements AutoCloseable {
    static final String FILE = "metrics.jsonl";
    private final JsonlAppender appender;

    private MetricsLog(JsonlAppender appender) {
        this.appender = appender;
    }

    /** Opens {@code dir}/metrics.jsonl keeping only the rows of steps up to {@code keepThroughStep}. */
    static MetricsLog open(Path dir, long keepThroughStep) {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            try (JsonlAppender recovered = JsonlAppender.open(file, "step")) {
                // opening cuts a line torn by a kill
            }
            List<ObjectNode> kept = new ArrayList<>();
            if (size(file) > 0) {
                Datasets.forEach(file, row -> row, row -> {
                    if (row.integer("step") <= keepThroughStep) {
                        kept.add(row.node());
                    }
                });
            }
            StringBuilder text = new StringBuilder();
            kept.forEach(row -> text.append(Json.line(row)).append('\n'));
            AtomicFiles.writeString(file, text.toString());
        }
        return new MetricsLog(JsonlAppender.open(file, "step"));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    void append(ObjectNode row) {
        appender.append(row);
    }

    @Override
    public void close() {
        appender.close();
    }
}
