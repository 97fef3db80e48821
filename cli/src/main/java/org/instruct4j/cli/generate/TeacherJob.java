package org.instruct4j.cli.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.teacher.batch.BatchRunner;
import org.instruct4j.teacher.client.ChatClient;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.JobResult;
import org.instruct4j.teacher.run.JobRunner;
import org.instruct4j.teacher.run.TeacherCaller;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * Runs a generation task against the configured teacher and reports the outcome the same way for every command
 * that calls a model (generate, eval answer, eval judge).
 */
public final class TeacherJob {
    /** Exit code when the job finished but some rows failed after all retries. */
    public static final int SOME_ROWS_FAILED = 3;
    /** The Batch API costs half the list price. */
    private static final double BATCH_PRICE_FACTOR = 0.5;

    private TeacherJob() {}

    /** The settings block of the run metadata: everything needed to reproduce the run, no secrets. */
    public static ObjectNode settings(TeacherOptions teacher, org.instruct4j.teacher.client.Sampling sampling) {
        ObjectNode settings = teacher.settings(sampling);
        if (teacher.localModel() != null) {
            settings.remove(List.of("model", "base_url", "api_key_env"));
            settings.put("local_model", teacher.localModel().toString());
            settings.put("local_truncate", teacher.localTruncate());
            settings.put("prompt_format", teacher.promptFormat(PromptFormat.ALPACA).id());
        }
        settings.put("batch_api", teacher.batchApi);
        return settings;
    }

    public static <S> int run(TeacherOptions teacher, GenerationTask<S> task, JobFiles files, ObjectNode settings, PrintWriter err) {
        return runRounds(teacher, List.of(() -> task), files, settings, err);
    }

    /**
     * Runs tasks one after another with the same teacher (a local model is loaded once), each made only when the one
     * before has finished, since a round may ask what the previous one answered (the turns of a conversation). Stops
     * at the first round that ends early; the exit code is the worst of the rounds'.
     */
    public static int runRounds(TeacherOptions teacher, List<Supplier<GenerationTask<?>>> rounds, JobFiles files,
            ObjectNode settings, PrintWriter err) {
        JobOptions options = teacher.jobOptions();
        var prices = teacher.priceTable();
        int exit = 0;
        try (ChatClient client = teacher.batchApi ? teacher.openAiClient() : teacher.client()) {
            for (Supplier<GenerationTask<?>> round : rounds) {
                GenerationTask<?> task = round.get();
                UsageMeter usage = new UsageMeter(prices, teacher.batchApi ? BATCH_PRICE_FACTOR : 1.0);
                JobResult result = teacher.batchApi
                        ? new BatchRunner((OpenAiChatClient) client, teacher.batchOptions(), usage).run(task, files, settings)
                        : new JobRunner(new TeacherCaller(client, options, usage), options).run(task, files, settings);
                report(task.name(), result, usage, files, err);
                if (!result.ok()) {
                    return 1;
                }
                exit = result.failed() > 0 ? SOME_ROWS_FAILED : exit;
            }
        }
        return exit;
    }

    private static void report(String name, JobResult result, UsageMeter usage, JobFiles files, PrintWriter err) {
        err.printf("%s: %,d new rows, %,d already done, %,d failed, %,d truncated, %,d retries -> %s%n",
                name, result.succeeded(), result.alreadyDone(), result.failed(), result.truncated(), result.retries(), files.rows());
        err.println(usage.summary());
        if (result.failed() > 0) {
            err.printf("failed rows are in %s; rerun with --retry-failed to try them again%n", files.failures());
        }
        long unanswered = result.pending() - result.succeeded() - result.failed();
        if (result.ok() && unanswered > 0) {
            err.printf("%,d requests were not run (their batch expired or was cancelled); run the same command again to submit them%n",
                    unanswered);
        }
        if (!result.ok()) {
            err.println("stopped early: " + result.fatalError());
        }
        err.flush();
    }
}
