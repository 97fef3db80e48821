package org.instruct4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input stops a Spark command before Spark runs anything: file, line (or row) and field, exit code 2, nothing written. */
class BadInputTest {
    @TempDir
    Path dir;

    private SparkCli answers(Path input, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "answers", "--input", input.toString(),
                "--output", dir.resolve("out").toString(), "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", SparkCli.KEY_VARIABLE));
        args.addAll(List.of(extra));
        return SparkCli.run(args.toArray(String[]::new));
    }

    private void assertRejected(SparkCli run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("instruct4j: error: " + message);
        assertThat(Files.exists(dir.resolve("out"))).isFalse();
        assertThat(Files.exists(dir.resolve("out.failures"))).isFalse();
        assertThat(Files.exists(dir.resolve("out.meta.json"))).isFalse();
    }

    @Test
    void aWronglyTypedFieldIsReportedWithFileLineAndField() {
        Path input = Instructions.writeLines(dir.resolve("bad.jsonl"), List.of(
                "{\"instruction\": \"Name a colour.\"}",
                "{\"instruction\": \"Add the numbers.\", \"input\": \"2 and 3\"}",
                "{\"instruction\": \"Count the words.\", \"input\": 5}"));

        assertRejected(answers(input), input + ":3: field \"input\": expected a string, got a number");
    }

    @Test
    void aJsonArrayRowIsReportedWithIndexAndLine() {
        Path input = Instructions.writeLines(dir.resolve("bad.json"), List.of(
                "[{\"instruction\": \"Name a colour.\"},", " {\"instruction\": \"\"}]"));

        assertRejected(answers(input), input + ":[1] (line 2): field \"instruction\": is empty");
    }

    @Test
    void duplicateIdsAndBrokenJsonAreRejected() {
        Path duplicates = Instructions.writeLines(dir.resolve("dup.jsonl"), List.of(
                "{\"id\": \"a\", \"instruction\": \"One.\"}", "{\"id\": \"a\", \"instruction\": \"Two.\"}"));
        Path broken = Instructions.writeLines(dir.resolve("broken.jsonl"), List.of("{\"instruction\": \"One.\"}", "{\"instruction\": "));

        assertRejected(answers(duplicates), duplicates + ":2: field \"id\": duplicate id \"a\"");
        assertRejected(answers(broken), broken + ":2: invalid JSON");
    }

    @Test
    void aParquetRowIsReportedWithItsFileAndRow() {
        Path json = Instructions.writeLines(dir.resolve("rows.jsonl"), List.of(
                "{\"instruction\": \"Name a colour.\", \"input\": \"\"}", "{\"instruction\": \"   \", \"input\": \"\"}"));
        Path parquet = dir.resolve("rows.parquet");
        LocalSpark.session().read().json(json.toString()).coalesce(1).write().mode(SaveMode.Overwrite).parquet(parquet.toString());
        Path part = partFile(parquet);

        assertRejected(answers(parquet), part + ":[1]: field \"instruction\": is empty");
    }

    @Test
    void aMissingKeyIsBadInputInLocalMode() {
        Path input = Instructions.write(dir.resolve("in.jsonl"), 2);

        SparkCli run = SparkCli.run("generate", "answers", "--input", input.toString(), "--output", dir.resolve("out").toString(),
                "--api-key-env", "INSTRUCT4J_NO_SUCH_KEY");

        assertRejected(run, "environment variable INSTRUCT4J_NO_SUCH_KEY is not set");
    }

    private static Path partFile(Path parquet) {
        try (Stream<Path> files = Files.list(parquet)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
