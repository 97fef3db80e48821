package org.instruct4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a command runs in: the session that already exists in this JVM (a test's, a notebook's), else a
 * new one on the {@code --master} given, else on the master spark-submit was given, else {@code local[2]}. Local
 * sessions stay on 127.0.0.1 without a web UI, and report progress to the driver every 2 s; Spark's own console bar
 * is off because the job draws its own.
 */
public final class SparkSessions {
    public static final String DEFAULT_MASTER = "local[2]";

    private SparkSessions() {}

    /** A session and whether this command created it (and so stops it). */
    public record Session(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }

    /** @param master the {@code --master} option, or null */
    public static Session open(String master, String appName) {
        SparkConf conf = new SparkConf();
        String chosen = master != null ? master : conf.get("spark.master", DEFAULT_MASTER);
        if (chosen.startsWith("local")) {
            quietLocalWarnings();
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            return new Session(SparkSession.getDefaultSession().get(), false);
        }
        conf.setMaster(chosen).setIfMissing("spark.app.name", appName).setIfMissing("spark.ui.showConsoleProgress", "false");
        if (chosen.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false")
                    .setIfMissing("spark.driver.host", "127.0.0.1")
                    .setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.executor.heartbeatInterval", "2s");
        }
        return new Session(SparkSession.builder().config(conf).getOrCreate(), true);
    }

    /**
     * Two warnings every local run would print, about things that do not matter on one machine: which network
     * interface the host name resolves to, and Hadoop's native library. Applies to the slf4j-simple backend of the
     * instruct4j command (a cluster's own logging configuration is left alone).
     */
    private static void quietLocalWarnings() {
        for (String logger : new String[] {"org.apache.spark.util.Utils", "org.apache.hadoop.util.NativeCodeLoader"}) {
            String property = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(property) == null) {
                System.setProperty(property, "error");
            }
        }
    }

    public static boolean isLocal(SparkSession spark) {
        return spark.sparkContext().isLocal();
    }
}
