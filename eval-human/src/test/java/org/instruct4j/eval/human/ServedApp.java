package org.instruct4j.eval.human;

import java.nio.file.Path;

/** The web app serving {@link TestPairs#three()} from a fresh SQLite database, with one annotator "ann". */
final class ServedApp implements AutoCloseable {
    final AnnotationStore store;
    final HumanEvalServer server;
    final String token;

    ServedApp(Path dir) {
        store = AnnotationStore.open(Database.of("sqlite:" + dir.resolve("annotations.db")));
        token = store.addAnnotator("ann");
        server = HumanEvalServer.start(store, TestPairs.three(), "127.0.0.1", 0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
