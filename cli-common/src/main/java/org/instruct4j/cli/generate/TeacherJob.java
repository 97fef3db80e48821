package org.instruct4j.cli.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
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
        }
        settings.put("batch_api", teacher.batchApi);
        if (teacher.maxCost != null) {
            settings.put("max_cost_usd", teacher.maxCost);
        }
        return settings;
    }

    public static <S> int run(TeacherOptions teacher, GenerationTask<S> task, JobFiles files, ObjectNode settings, PrintWriter err) {
        JobOptions options = teacher.jobOptions();
        UsageMeter usage = new UsageMeter(teacher.priceTable(), teacher.batchApi ? BATCH_PRICE_FACTOR : 1.0);
        CostGuard guard = teacher.costGuard(usage);
        Consumer<String> notes = line -> {
            err.println(line);
            err.flush();
        };
        try (ChatClient client = teacher.batchApi ? teacher.openAiClient() : teacher.client()) {
            JobResult result = teacher.batchApi
                    ? new BatchRunner((OpenAiChatClient) client, teacher.batchOptions(), usage, guard, notes).run(task, files, settings)
                    : new JobRunner(new TeacherCaller(client, options, usage, guard), options, notes).run(task, files, settings);
            return JobReport.print(task.name(), result, usage.summary(), files.rows(), files.failures(), err);
        }
    }
}
