package org.instruct4j.spark;

import java.nio.file.Path;
import java.time.Duration;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.JobRunner;
import org.instruct4j.teacher.run.TeacherCaller;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import org.instruct4j.testkit.FakeOpenAiServer;

/** The single-machine run of a task, to compare a Spark job with: the real job runner over the whole input. */
public final class SingleMachine {
    private SingleMachine() {}

    public static void run(FakeOpenAiServer server, GenerationTask<?> task, JobFiles files) {
        JobOptions options = new JobOptions(4, 0, 0, RetryPolicy.DEFAULT, false, true);
        try (OpenAiChatClient client = new OpenAiChatClient(server.baseUrl(), ApiKey.fromEnvironment(SparkCli.KEY_VARIABLE),
                Duration.ofSeconds(10))) {
            TeacherCaller caller = new TeacherCaller(client, options, new UsageMeter(PriceTable.defaults(), 1.0));
            new JobRunner(caller, options).run(task, files, Json.object());
        }
    }

    /** Runs {@code task} into {@code output} (one JSONL file) and returns it. */
    public static Path run(FakeOpenAiServer server, GenerationTask<?> task, Path output) {
        run(server, task, JobFiles.forOutput(output));
        return output;
    }
}
