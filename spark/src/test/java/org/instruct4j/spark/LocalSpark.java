package org.instruct4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for every test in the JVM (starting one takes seconds), which the commands under test
 * find and reuse. Two worker threads as the default {@code local[2]}, and up to 3 attempts per task so a test can
 * watch a failed task be retried.
 */
public final class LocalSpark {
    public static final String MASTER = "local[2,3]";
    private static SparkSession session;

    private LocalSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSessions.open(MASTER, "instruct4j tests").spark();
        }
        return session;
    }
}
