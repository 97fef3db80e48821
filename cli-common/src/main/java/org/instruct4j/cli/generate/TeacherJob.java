package org.instruct4j.cli.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
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
import org.instruct4j.teacher.usage.CostGuard;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * Runs a generation task against the configured teacher and reports the outcome the same way for every command
 * that calls a model (generate, eval answer, eval judge): first the requests and what they should cost, last what
 * the run did ({@link JobReport}).
 */
public final class TeacherJob {
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
        if (teacher.maxCost != null) {
            settings.put("max_cost_usd", teacher.maxCost);
        }
        return settings;
    }

    public static <S> int run(TeacherOptions teacher, GenerationTask<S> task, JobFiles files, ObjectNode settings, PrintWriter err) {
        return runRounds(teacher, List.of(() -> task), files, settings, err);
    }

    /**
     * Runs tasks one after another with the same teacher (a local model is loaded once), each made only when the one
     * before has finished, since a round may ask what the previous one answered (the turns of a conversation). Stops
     * at the first round that stops for good; otherwise the exit code is the last one that had rows missing, else 0.
     */
    public static int runRounds(TeacherOptions teacher, List<Supplier<GenerationTask<?>>> rounds, JobFiles files,
            ObjectNode settings, PrintWriter err) {
        JobOptions options = teacher.jobOptions();
        UsageMeter usage = new UsageMeter(teacher.priceTable(), teacher.batchApi ? BATCH_PRICE_FACTOR : 1.0);
        CostGuard guard = teacher.costGuard(usage);
        Consumer<String> notes = line -> {
            err.println(line);
            err.flush();
        };
        int exit = 0;
        try (ChatClient client = teacher.batchApi ? teacher.openAiClient() : teacher.client()) {
            for (Supplier<GenerationTask<?>> round : rounds) {
                GenerationTask<?> task = round.get();
                JobResult result = teacher.batchApi
                        ? new BatchRunner((OpenAiChatClient) client, teacher.batchOptions(), usage, guard, notes).run(task, files, settings)
                        : new JobRunner(new TeacherCaller(client, options, usage, guard), options, notes).run(task, files, settings);
                int code = JobReport.print(task.name(), result, usage.summary(), files.rows(), files.failures(), err);
                if (code != 0 && code != JobReport.ROWS_MISSING) {
                    return code;
                }
                exit = code == 0 ? exit : code;
            }
        }
        return exit;
    }
}
