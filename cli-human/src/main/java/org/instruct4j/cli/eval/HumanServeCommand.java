package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.instruct4j.cli.Reads;
import org.instruct4j.eval.human.AnnotationStore;
import org.instruct4j.eval.human.Database;
import org.instruct4j.eval.human.HumanEvalServer;
import org.instruct4j.eval.human.Pair;
import org.instruct4j.eval.human.PairsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the annotation web app until stopped (Ctrl-C).",
            "Annotators sign in with a token from `eval human admin add-annotator`; each judges each pair at most once, "
                + "the left/right order drawn per item."})
final class HumanServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--pairs", required = true, paramLabel = "P.jsonl", description = "The items (from `eval human pairs`).")
    Path pairs;

    @Mixin
    AnnotationDbOption db;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface, behind HTTPS).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        List<Pair> items = PairsFile.read(pairs);
        Database database = db.database();
        CountDownLatch stopped = new CountDownLatch(1);
        HumanEvalServer server = HumanEvalServer.start(AnnotationStore.open(database), items, host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        spec.commandLine().getErr().printf("serving %,d pairs from %s on http://%s:%d/ (judgments in %s); Ctrl-C stops%n",
                items.size(), pairs, host, server.port(), database.describe());
        spec.commandLine().getErr().flush();
        stopped.await();
        return 0;
    }
}
