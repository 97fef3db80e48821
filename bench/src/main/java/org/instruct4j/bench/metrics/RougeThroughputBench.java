package org.instruct4j.bench.metrics;

import static org.instruct4j.metrics.rouge.RougeType.ROUGE_1;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_2;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_L;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_LSUM;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.instruct4j.metrics.rouge.RougeScore;
import org.instruct4j.metrics.rouge.RougeScorer;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.metrics.rouge.RougeType;

/**
 * Rows per second of ROUGE scoring over 50,000 realistic (target, prediction) pairs, one thread and all cores,
 * against a literal table-based port of rouge-score's ROUGE-L. Run by hand (see bench/README or the report):
 * {@code java -cp ... org.instruct4j.bench.metrics.RougeThroughputBench [rows] [runs]}.
 */
public final class RougeThroughputBench {
    /** Keeps results alive so the JIT cannot drop the work. */
    private static double sink;

    private RougeThroughputBench() {}

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("cores=%d rows=%d runs=%d (median reported)%n",
                Runtime.getRuntime().availableProcessors(), rows, runs);
        measure("alpaca outputs, shifted rows", BenchTexts.shiftedOutputPairs(rows), runs);
        measure("self-instruct predictions vs targets, repeated", BenchTexts.selfInstructPairs(rows), runs);
        System.out.println("checksum " + sink);
    }

    private static void measure(String name, BenchTexts.Pairs pairs, int runs) {
        List<String> targets = pairs.targets();
        List<String> predictions = pairs.predictions();
        double meanWords = targets.stream().mapToInt(t -> RougeTokenizer.DEFAULT.tokenize(t, false).size())
                .average().orElse(0);
        System.out.printf("%n%s: mean target length %.1f tokens%n", name, meanWords);

        RougeScorer rougeL = RougeScorer.builder().types(ROUGE_L).build();
        RougeScorer three = RougeScorer.builder().types(ROUGE_1, ROUGE_2, ROUGE_L).build();
        RougeScorer threeStemmed = RougeScorer.builder().types(ROUGE_1, ROUGE_2, ROUGE_L).stemming(true).build();
        RougeScorer lsum = RougeScorer.builder().types(ROUGE_LSUM).stemming(true).build();

        report("rougeL, table port of rouge-score (baseline), 1 thread", runs, targets.size(), () ->
                sequential(targets, predictions, i -> TableLcsBaseline.fmeasure(
                        RougeTokenizer.DEFAULT.tokenize(targets.get(i), false),
                        RougeTokenizer.DEFAULT.tokenize(predictions.get(i), false))));
        report("rougeL, 1 thread", runs, targets.size(), () ->
                sequential(targets, predictions, i -> f(rougeL.score(targets.get(i), predictions.get(i)), ROUGE_L)));
        report("rougeL, all cores (fmeasures)", runs, targets.size(), () ->
                sink += sum(rougeL.fmeasures(ROUGE_L, targets, predictions)));
        report("rouge1+2+L, 1 thread", runs, targets.size(), () ->
                sequential(targets, predictions, i -> f(three.score(targets.get(i), predictions.get(i)), ROUGE_2)));
        report("rouge1+2+L, all cores (scoreAll)", runs, targets.size(), () ->
                sink += three.scoreAll(targets, predictions).stream().mapToDouble(s -> f(s, ROUGE_L)).sum());
        report("rouge1+2+L stemmed, all cores (scoreAll)", runs, targets.size(), () ->
                sink += threeStemmed.scoreAll(targets, predictions).stream().mapToDouble(s -> f(s, ROUGE_L)).sum());
        report("rougeLsum stemmed, all cores (fmeasures)", runs, targets.size(), () ->
                sink += sum(lsum.fmeasures(ROUGE_LSUM, targets, predictions)));
    }

    private static void sequential(List<String> targets, List<String> predictions, ToDoubleFunction<Integer> row) {
        double total = 0;
        for (int i = 0; i < targets.size(); i++) {
            total += row.applyAsDouble(i);
        }
        sink += total;
    }

    private static double f(Map<RougeType, RougeScore> scores, RougeType type) {
        return scores.get(type).fmeasure();
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double value : values) {
            total += value;
        }
        return total;
    }

    private static void report(String label, int runs, int rows, Runnable task) {
        double seconds = Timing.medianSeconds(2, runs, task);
        System.out.printf("  %-58s %9.0f rows/s  (%.3f s)%n", label, rows / seconds, seconds);
    }
}
