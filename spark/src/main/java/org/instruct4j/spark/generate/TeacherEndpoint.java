package org.instruct4j.spark.generate;

import java.io.Serializable;
import java.time.Duration;
import org.instruct4j.teacher.client.ApiKey;
import org.instruct4j.teacher.client.OpenAiChatClient;

/**
 * The teacher as the executors see it: the endpoint and the name of the environment variable holding the key. The
 * key itself is read on each executor ({@code spark.executorEnv.NAME} on a cluster) and never travels with the job.
 */
public record TeacherEndpoint(String baseUrl, String apiKeyEnv, Duration requestTimeout) implements Serializable {

    /** A client for this endpoint; fails with a message naming the variable when the key is not set here. */
    public OpenAiChatClient client() {
        return new OpenAiChatClient(baseUrl, ApiKey.fromEnvironment(apiKeyEnv), requestTimeout);
    }
}
