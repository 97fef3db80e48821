package org.instruct4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.testkit.FakeOpenAiServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The teacher for CLI tests: a real OpenAI-compatible server on 127.0.0.1, started before each test and closed
 * after it, and the command line run in-process against it. Register with
 * {@code @RegisterExtension final FakeTeacher teacher = new FakeTeacher();}.
 */
final class FakeTeacher implements BeforeEachCallback, AfterEachCallback {
    private FakeOpenAiServer server;

    @Override
    public void beforeEach(ExtensionContext context) {
        server = new FakeOpenAiServer().start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
    }

    FakeOpenAiServer server() {
        return server;
    }

    /** Runs the CLI with {@code args} followed by the flags that point it at this server, quietly. */
    CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--base-url", server.baseUrl(), "--api-key-env", "PATH", "--quiet"));
        return CliRun.of(all.toArray(String[]::new));
    }
}
