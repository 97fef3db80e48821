package org.instruct4j.testkit;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.time.Duration;

/** The official OpenAI SDK pointed at a fake server, without retries so every fault is seen as is. */
final class SdkClients {
    static final String KEY = "sk-test";

    private SdkClients() {}

    static OpenAIClient of(FakeOpenAiServer server) {
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(KEY).maxRetries(0).build();
    }

    static OpenAIClient of(FakeOpenAiServer server, Duration timeout) {
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(KEY).maxRetries(0).timeout(timeout).build();
    }
}
