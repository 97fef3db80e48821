package org.instruct4j.analysis.verbs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.progress.Progress;

/**
 * Applies one shared rule (CoreNLP's, in the analysis-corenlp module) to many texts on a pool of threads (one per core by
 * default); each thread takes the next unparsed text, so long and short texts balance out. Results keep the input
 * order.
 */
public final class VerbNounRun {
    private VerbNounRun() {}

    /** Counts the rule's results over a dataset's texts, with a progress bar on stderr unless {@code quiet}. */
    public static VerbNounCounts count(Function<String, Optional<VerbNoun>> rule, DatasetTexts dataset, int threads,
            boolean quiet) {
        try (Progress progress = Progress.create("verbs " + dataset.name(), dataset.size(), "rows", quiet)) {
            return VerbNounCounts.of(extractAll(rule, dataset.texts(), threads, progress));
        }
    }

    /** The rule's result for every text, in order; {@code rule} must be thread-safe; {@code progress} steps once per text. */
    public static List<Optional<VerbNoun>> extractAll(Function<String, Optional<VerbNoun>> rule, List<String> texts,
                                                      int threads, Progress progress) {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, got " + threads);
        }
        @SuppressWarnings("unchecked")
        Optional<VerbNoun>[] results = new Optional[texts.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < texts.size(); i = next.getAndIncrement()) {
                try {
                    results[i] = rule.apply(texts.get(i));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the parser failed on text " + i + " (0-based row): " + e, e);
                }
                progress.step();
            }
        };
        int poolSize = Math.min(threads, Math.max(1, texts.size()));
        ExecutorService pool = Executors.newFixedThreadPool(poolSize, runnable -> {
            Thread thread = new Thread(runnable, "verb-noun");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < poolSize; t++) {
                running.add(pool.submit(worker));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing", e);
        } catch (ExecutionException e) {
            next.set(texts.size());
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return Arrays.asList(results);
    }
}
