package org.instruct4j.spark.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.instruct4j.core.io.Json;

/**
 * A Spark job's {@code O.meta.json}, in the single-machine layout ({@code {"runs": [...]}}, one entry per run) on the
 * output's filesystem. Each entry carries its run's id, so publishing a run twice records it once.
 */
public final class RunMetadataFile {
    private RunMetadataFile() {}

    public static void append(FileSystem fs, Path file, ObjectNode run) {
        ObjectNode root = read(fs, file);
        ArrayNode runs = root.withArray("runs");
        String id = run.path("run_id").asText();
        for (JsonNode existing : runs) {
            if (existing.path("run_id").asText().equals(id)) {
                return;
            }
        }
        runs.add(run);
        HadoopFiles.writeString(fs, file, root.toPrettyString() + "\n");
    }

    private static ObjectNode read(FileSystem fs, Path file) {
        if (!HadoopFiles.exists(fs, file)) {
            return Json.object();
        }
        try {
            if (Json.MAPPER.readTree(HadoopFiles.readString(fs, file)) instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException unreadable) {
            // a metadata file we cannot read is replaced rather than blocking the job, as in the single-machine commands
        }
        return Json.object();
    }
}
