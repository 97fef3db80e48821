package org.instruct4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The result of running the CLI in-process: exit code, stdout, stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
