package org.instruct4j.bench.analysis;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.verbs.VerbNoun;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.analysis.corenlp.VerbNounExtractor;
import org.instruct4j.analysis.verbs.VerbNounRun;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.testkit.SharedData;

/**
 * The verb-noun analysis of 52,000 real outputs (the size of Alpaca / GPT-4-LLM): the Alpaca subset's 5,000 GPT-3.5
 * outputs cycled to the requested number of rows, parsed by {@link VerbNounRun} exactly as {@code analyze verbs}
 * does. Reports model load time, then wall time, rows/s and CPU ms per row of each run, and the process's peak RSS.
 * {@code bench/run analysis.VerbNounBench [rows=52000] [threads=cores] [runs=3] [instruct4j|baseline] [file] [field]};
 * {@code baseline} runs {@link FullPipelineBaseline} instead and checks that both find the same pairs.
 */
public final class VerbNounBench {
    private VerbNounBench() {}

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 52_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean baseline = args.length > 3 && args[3].equals("baseline");
        Path file = args.length > 4 ? Path.of(args[4]) : SharedData.path("alpaca/alpaca_5000_subset_pr152.json");
        String field = args.length > 5 ? args[5] : "output";
        DatasetTexts dataset = DatasetTexts.read(file, null, field);
        List<String> texts = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            texts.add(dataset.texts().get(i % dataset.size()));
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("%s field %s: %,d distinct rows cycled to %,d; %d threads on %d cores; load average %.2f%n",
                file, field, dataset.size(), rows, threads, Runtime.getRuntime().availableProcessors(),
                os.getSystemLoadAverage());

        long start = System.nanoTime();
        VerbNounExtractor extractor = VerbNounExtractor.english();
        Function<String, Optional<VerbNoun>> rule = extractor::extract;
        if (baseline) {
            rule = new FullPipelineBaseline()::extract;
        }
        System.out.printf("%s; model load: %.1f s%n", baseline ? "baseline: full CoreNLP pipeline on the whole text"
                : "instruct4j VerbNounExtractor", (System.nanoTime() - start) / 1e9);

        for (int run = 1; run <= runs; run++) {
            long cpuBefore = os.getProcessCpuTime();
            long runStart = System.nanoTime();
            List<Optional<VerbNoun>> results = extractAll(rule, texts, threads);
            double seconds = (System.nanoTime() - runStart) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpuBefore) / 1e6;
            VerbNounCounts counts = VerbNounCounts.of(results);
            System.out.printf("run %d: %,d rows in %.1f s = %.0f rows/s; CPU %.2f ms/row; %,d verb roots, %,d unique pairs;"
                            + " load average %.2f%n", run, rows, seconds, rows / seconds, cpuMs / rows,
                    counts.verbRoots(), counts.uniquePairs(), os.getSystemLoadAverage());
            if (baseline && run == 1) {
                int distinct = Math.min(rows, dataset.size());
                long differ = IntStream.range(0, distinct)
                        .filter(i -> !results.get(i).equals(extractor.extract(texts.get(i)))).count();
                System.out.printf("rows where the baseline and instruct4j differ: %d of %,d%n", differ, distinct);
            }
        }
        System.out.printf("total including load: %.1f s; peak RSS %s%n", (System.nanoTime() - start) / 1e9, peakRss());
    }

    private static List<Optional<VerbNoun>> extractAll(Function<String, Optional<VerbNoun>> rule, List<String> texts,
                                                      int threads) {
        try (Progress progress = Progress.create("bench", texts.size(), "rows", true)) {
            return VerbNounRun.extractAll(rule, texts, threads, progress);
        }
    }

    private static String peakRss() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\s+", " ").substring("VmHWM: ".length())).findFirst().orElse("unknown");
    }
}
