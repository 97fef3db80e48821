package org.instruct4j.bench.teacher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.JobResult;
import org.instruct4j.teacher.run.JobRunner;
import org.instruct4j.teacher.run.TeacherCaller;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import org.instruct4j.testkit.FakeOpenAiServerMain;

/**
 * Issue 2's benchmark: {@code generate answers} for N requests against the OpenAI-compatible test
 * server (its own process, 100 ms latency) with --concurrency 64 --rpm 30000. Reports the achieved
 * requests per minute as a fraction of the limit, and this client process's CPU time per request.
 *
 * <p>Usage: {@code TeacherThroughputBench [requests=20000] [runs=3] [concurrency=64] [rpm=30000] [latencyMs=100]}
 */
public final class TeacherThroughputBench {
    private TeacherThroughputBench() {}

    public static void main(String[] args) throws Exception {
        int requests = arg(args, 0, 20_000);
        int runs = arg(args, 1, 3);
        int concurrency = arg(args, 2, 64);
        int rpm = arg(args, 3, 30_000);
        int latencyMs = arg(args, 4, 100);
        Path dir = Files.createTempDirectory("teacher-bench");
        Path input = writeInput(dir.resolve("input.jsonl"), requests);
        Process server = startServer(latencyMs);
        try {
            String baseUrl = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            double[] efficiency = new double[runs];
            double[] cpuMicros = new double[runs];
            for (int run = 0; run < runs; run++) {
                Path output = dir.resolve("answers-" + run + ".jsonl");
                long cpuBefore = processCpuNanos();
                long start = System.nanoTime();
                JobResult result = runOnce(baseUrl, input, output, concurrency, rpm);
                double seconds = (System.nanoTime() - start) / 1e9;
                long cpu = processCpuNanos() - cpuBefore;
                double achievedRpm = result.succeeded() / seconds * 60;
                efficiency[run] = achievedRpm / rpm;
                cpuMicros[run] = cpu / 1e3 / Math.max(1, result.succeeded());
                System.out.printf("run %d: %d ok, %d failed, %.1f s, %.0f req/min = %.1f%% of the limit, client CPU %.0f us/request%n",
                        run + 1, result.succeeded(), result.failed(), seconds, achievedRpm, efficiency[run] * 100, cpuMicros[run]);
            }
            System.out.printf("median: %.1f%% of --rpm %d, client CPU %.0f us/request (%d requests, concurrency %d, latency %d ms)%n",
                    median(efficiency) * 100, rpm, median(cpuMicros), requests, concurrency, latencyMs);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static JobResult runOnce(String baseUrl, Path input, Path output, int concurrency, int rpm) {
        JobOptions options = new JobOptions(concurrency, rpm, 0, RetryPolicy.DEFAULT, false, true);
        Sampling sampling = Sampling.PAPER_DEFAULTS;
        try (OpenAiChatClient client = new OpenAiChatClient(baseUrl, ApiKey.of("BENCH_KEY", "sk-bench"), Duration.ofSeconds(60))) {
            UsageMeter usage = new UsageMeter(PriceTable.defaults(), 1.0);
            AnswerTask task = new AnswerTask(InstructionInput.open(input, 0), "gpt-4", sampling, Language.EN);
            ObjectNode settings = Json.object();
            return new JobRunner(new TeacherCaller(client, options, usage), options).run(task, JobFiles.forOutput(output), settings);
        }
    }

    private static Path writeInput(Path file, int rows) throws IOException {
        List<String> lines = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            ObjectNode row = Json.object();
            row.put("instruction", "Give three tips for staying healthy, variant " + i + ".");
            row.put("input", i % 3 == 0 ? "" : "Context number " + i);
            lines.add(Json.line(row));
        }
        return Files.write(file, lines);
    }

    private static Process startServer(int latencyMs) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FakeOpenAiServerMain.class.getName(),
                "--latency-ms", Integer.toString(latencyMs))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
