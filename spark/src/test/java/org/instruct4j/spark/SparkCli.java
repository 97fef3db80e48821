package org.instruct4j.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.instruct4j.spark.cli.SparkMain;

/** A Spark command run in process, as spark-submit would run the job jar: exit code, stdout, stderr. */
public record SparkCli(int exitCode, String out, String err) {
    /** The environment variable that holds the tests' API key (set by the build for the test JVM). */
    public static final String KEY_VARIABLE = "INSTRUCT4J_SPARK_TEST_KEY";

    public static String apiKey() {
        return System.getenv(KEY_VARIABLE);
    }

    public static SparkCli run(String... args) {
        LocalSpark.session();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new SparkCli(code, out.toString(), err.toString());
    }
}
