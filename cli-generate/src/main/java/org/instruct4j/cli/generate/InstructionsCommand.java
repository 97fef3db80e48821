package org.instruct4j.cli.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Beside;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.data.SeedTask;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.teacher.client.ChatClient;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.TeacherCaller;
import org.instruct4j.teacher.selfinstruct.SelfInstructJob;
import org.instruct4j.teacher.usage.CostGuard;
import org.instruct4j.teacher.usage.UsageMeter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "instructions", mixinStandardHelpOptions = true,
        description = {"Grows new instructions from seed tasks with Alpaca's Self-Instruct loop.",
            "All its filters apply, including ROUGE-L > 0.7 de-duplication against the seeds and every instruction kept "
                + "so far.",
            "Output rows: {id, instruction, input, output, model}. Rerun to continue towards --count."})
final class InstructionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--seeds", required = true, paramLabel = "seed_tasks.jsonl", description = "Self-Instruct seed tasks.")
    Path seeds;

    @Reads
    @Option(names = "--prompt", required = true, paramLabel = "prompt.txt", description = "The generation prompt (Alpaca's prompt.txt).")
    Path prompt;

    @Option(names = "--count", required = true, paramLabel = "N", description = "How many instructions the output should hold.")
    long count;

    @Writes(beside = Beside.TEACHER_JOB)
    @Option(names = "--output", required = true, paramLabel = "O.jsonl", description = "Output JSONL (appended; resumable).")
    Path output;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "" + SelfInstructJob.DEFAULT_PATIENCE,
            description = "Stop when this many requests in a row add no new instruction (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed for choosing the example tasks (default: random).")
    Long randomSeed;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new BadInputException("--count must be at least 1");
        }
        if (teacher.batchApi) {
            throw new BadInputException("--batch-api does not fit generate instructions: each request's de-duplication"
                    + " depends on the answers to the requests before it");
        }
        List<SeedTask> seedTasks = Datasets.readAll(seeds, SeedTask::fromJson);
        String promptText = readPrompt();
        Sampling sampling = samplingOptions.resolve(SelfInstructJob.DEFAULTS);
        JobOptions options = teacher.jobOptions();
        var settings = TeacherJob.settings(teacher, sampling);
        settings.put("seeds", seeds.toString());
        settings.put("prompt", prompt.toString());
        settings.put("count", count);
        long seed = randomSeed != null ? randomSeed : System.nanoTime();
        settings.put("random_seed", seed);
        var err = spec.commandLine().getErr();
        UsageMeter usage = new UsageMeter(teacher.priceTable(), 1.0);
        CostGuard guard = teacher.costGuard(usage);
        try (ChatClient client = teacher.client()) {
            SelfInstructJob job = new SelfInstructJob(new TeacherCaller(client, options, usage, guard), options, teacher.model(),
                    sampling, promptText, seedTasks, seed, patience);
            SelfInstructJob.Result result = job.run(output, count, settings);
            err.printf("instructions: %,d kept (%,d this run) from %,d requests; %,d too similar (ROUGE-L > %.1f), "
                    + "%,d unparsable or filtered, %,d failed requests -> %s%n", result.kept(), result.keptThisRun(), result.requests(),
                    result.rejectedAsSimilar(), SelfInstructJob.MAX_ROUGE_L, result.filteredOrUnparsable(), result.failedRequests(), output);
            err.println(usage.summary());
            if (result.fatalError() != null) {
                err.println("stopped early: " + result.fatalError());
                return 1;
            }
            if (result.pausedBy() != null) {
                err.printf("stopped before --count: %s; raise --max-cost and run the same command again to continue%n",
                        result.pausedBy());
                return JobReport.ROWS_MISSING;
            }
            if (result.ranDry()) {
                err.printf("stopped before --count: %d requests in a row added no new instruction (all too similar,"
                        + " filtered or failed); try another --prompt, more seeds or a higher --temperature%n", patience);
                return JobReport.ROWS_MISSING;
            }
            return 0;
        }
    }

    private String readPrompt() {
        try {
            return Files.readString(prompt, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(prompt + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + prompt + ": " + e.getMessage(), e);
        }
    }
}
