package org.instruct4j.bench.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.instruct4j.bench.metrics.BenchTexts;
import org.instruct4j.bench.metrics.Timing;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.rouge.RougeEvaluation;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.spark.SparkSessions;
import org.instruct4j.spark.io.OutputFormat;
import org.instruct4j.spark.rouge.RougeJob;

/**
 * {@code spark rouge} against the single-machine {@code eval rouge} on the same real pairs, in one warm JVM: rows/s of
 * each, end to end in process (reading and checking the JSONL file, ROUGE-1/2/L with length buckets, writing the
 * per-row scores for Spark), the median of several runs after a warm-up.
 *
 * <p>Usage: {@code bench/run spark.SparkRougeBench [rows=50000] [runs=3] [master=local[2]]}
 */
public final class SparkRougeBench {
    private SparkRougeBench() {}

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String master = args.length > 2 ? args[2] : SparkSessions.DEFAULT_MASTER;
        Path dir = Files.createTempDirectory("spark-rouge-bench-");
        try {
            Path input = writePairs(dir.resolve("rouge.jsonl"), rows);
            double single = Timing.medianSeconds(1, runs, () -> new RougeEvaluation(false, RougeTokenizer.DEFAULT)
                    .evaluate("bench", RougeEvaluation.read(input, "output", "label")));
            try (SparkSessions.Session session = SparkSessions.open(master, "instruct4j rouge benchmark")) {
                SparkSession spark = session.spark();
                int partitions = spark.sparkContext().defaultParallelism();
                var request = new RougeJob.Request(input.toString(), dir.resolve("scores").toString(), OutputFormat.JSONL, partitions,
                        "output", "label", false, "default", "bench", true, true);
                double sparkSeconds = Timing.medianSeconds(1, runs, () -> RougeJob.run(spark, request));
                System.out.printf("%,d pairs, median of %d runs after a warm-up%n", rows, runs);
                System.out.printf("eval rouge (single machine, all cores): %.2f s, %,.0f rows/s%n", single, rows / single);
                System.out.printf("spark rouge (%s, %d partitions): %.2f s, %,.0f rows/s (%.2fx the single machine)%n", master, partitions,
                        sparkSeconds, rows / sparkSeconds, single / sparkSeconds);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {"id", "output", "label"} rows: real Alpaca outputs paired as in the ROUGE throughput benchmark. */
    private static Path writePairs(Path file, int rows) throws IOException {
        BenchTexts.Pairs pairs = BenchTexts.shiftedOutputPairs(rows);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < rows; i++) {
                out.write(Json.line(Json.object().put("id", Integer.toString(i)).put("output", pairs.predictions().get(i))
                        .put("label", pairs.targets().get(i))));
                out.write('\n');
            }
        }
        return file;
    }
}
