package org.instruct4j.cli;

import java.io.UncheckedIOException;
import org.instruct4j.core.io.BadInputException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and an exit code, with secrets scrubbed:
 * 2 for bad input or options (nothing was written), 1 for anything else. Used by the instruct4j command and by
 * the Spark job jar run with spark-submit.
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        var err = commandLine.getErr();
        if (e instanceof BadInputException || e instanceof IllegalArgumentException) {
            err.println("instruct4j: error: " + Secrets.scrub(e.getMessage()));
            return BAD_INPUT;
        }
        if (e instanceof IllegalStateException || e instanceof UncheckedIOException) {
            err.println("instruct4j: error: " + Secrets.scrub(e.getMessage()));
            return FAILED;
        }
        err.println("instruct4j: unexpected error: " + Secrets.scrub(String.valueOf(e)));
        if (System.getenv("INSTRUCT4J_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set INSTRUCT4J_DEBUG=1 for the stack trace)");
        }
        return FAILED;
    }
}
