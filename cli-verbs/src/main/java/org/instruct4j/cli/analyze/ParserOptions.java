package org.instruct4j.cli.analyze;

import java.io.PrintWriter;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.analysis.corenlp.VerbNounExtractor;
import picocli.CommandLine.Option;

/** How the dependency parser runs. */
final class ParserOptions {
    @Option(names = "--threads", paramLabel = "N", description = "Parsing threads (default: one per core, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    VerbNounExtractor load(PrintWriter err) {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, got " + threads);
        }
        if (!quiet) {
            err.println("loading the Stanford CoreNLP English models (tagger, lemmatizer, dependency parser)...");
            err.flush();
        }
        return VerbNounExtractor.english();
    }
}
