package org.instruct4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.testkit.FakeOpenAiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests of Spark commands that call a teacher: a fresh OpenAI-compatible server on 127.0.0.1 for each test. */
public abstract class WithFakeTeacher {
    protected FakeOpenAiServer server;

    @BeforeEach
    void startTeacher() {
        server = new FakeOpenAiServer().apiKey(SparkCli.apiKey()).start();
    }

    @AfterEach
    void stopTeacher() {
        server.close();
    }

    /** A Spark command against this server, with the tests' key and no progress bar. */
    protected SparkCli spark(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--base-url", server.baseUrl(), "--api-key-env", SparkCli.KEY_VARIABLE, "--quiet"));
        return SparkCli.run(all.toArray(String[]::new));
    }
}
