package org.instruct4j.cli;

import java.io.UncheckedIOException;
import org.instruct4j.core.io.BadInputException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and an exit code, with secrets scrubbed: 2 for bad input or options
 * ({@link BadInputException}, and picocli's own parameter errors; nothing was written), 1 for anything else. A
 * failure instruct4j foresaw (a file it cannot write, a server that stopped answering) is its message; any other
 * exception is a bug or a failure of the machine, shown with its type and causes. Used by the instruct4j command
 * and by the Spark job jar run with spark-submit.
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        var err = commandLine.getErr();
        if (e instanceof BadInputException || e instanceof CommandLine.ParameterException) {
            err.println("instruct4j: error: " + Secrets.scrub(e.getMessage()));
            err.flush();
            return BAD_INPUT;
        }
        if (e instanceof IllegalStateException || e instanceof UncheckedIOException) {
            err.println("instruct4j: error: " + Secrets.scrub(e.getMessage()));
            err.flush();
            return FAILED;
        }
        err.println("instruct4j: unexpected error: " + Secrets.scrub(withCauses(e)));
        if (System.getenv("INSTRUCT4J_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set INSTRUCT4J_DEBUG=1 for the stack trace)");
        }
        err.flush();
        return FAILED;
    }

    /** {@code java.lang.NullPointerException: ... (caused by ...)}: the exception and every cause below it. */
    private static String withCauses(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" (caused by ").append(cause).append(')');
        }
        return text.toString();
    }
}
