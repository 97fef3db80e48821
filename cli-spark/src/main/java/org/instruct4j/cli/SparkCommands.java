package org.instruct4j.cli;

import java.util.Map;
import org.instruct4j.spark.cli.SparkCommand;

/** The spark commands, run on a local Spark master in this JVM (Spark is on this group's class path). */
public final class SparkCommands implements CommandGroup {
    @Override
    public Map<String, Object> commands() {
        return Map.of("spark", new SparkCommand());
    }
}
