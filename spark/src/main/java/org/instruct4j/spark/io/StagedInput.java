package org.instruct4j.spark.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.core.io.Location;

/**
 * A job's input as the executors read it: the rows the command takes (the first {@code --limit}), each with its id
 * (its "id" field, else its 0-based position: the single-machine commands' numbering, so outputs compare row by
 * row), one JSON object per line in a local file on the driver. JSON arrays and JSON Lines are read with core's
 * readers; Parquet (one file, or a directory of part files) with Spark, in file name then row order. A problem that
 * the stage's own checks find later in a staged row is reported where the row really is ({@link #check}).
 */
public final class StagedInput {
    private final String input;
    private final Path file;
    private final long rows;
    private final RowOrigin origin;

    /** Where the row at a 0-based position of the staged file came from. */
    private interface RowOrigin {
        Location of(long ordinal);
    }

    private StagedInput(String input, Path file, long rows, RowOrigin origin) {
        this.input = input;
        this.file = file;
        this.rows = rows;
        this.origin = origin;
    }

    /**
     * Parquet: a path ending in {@code .parquet}, a path with a scheme (hdfs://, s3a://: only Spark reads those), or a
     * directory of Parquet part files. Anything else is JSON: a file, or a directory of JSON Lines part files (the
     * output of another job) read in name order.
     */
    public static boolean isParquet(String input) {
        if (input.endsWith(".parquet") || input.endsWith(".parquet/") || input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return true;
        }
        Path path = Path.of(input);
        return Files.isDirectory(path) && jsonFiles(path).stream().anyMatch(file -> file.toString().endsWith(".parquet"));
    }

    /**
     * Stages {@code input} into {@code dir}; {@code limit} keeps the first rows (0 = all); {@code numberRows} gives rows
     * without an id their position as id.
     */
    public static StagedInput stage(SparkSession spark, String input, long limit, boolean numberRows, Path dir) {
        Path staged = dir.resolve("input.jsonl");
        StagedInput result = isParquet(input)
                ? fromParquet(spark, input, limit, numberRows, staged)
                : fromJson(Path.of(input), limit, numberRows, staged);
        if (result.rows == 0) {
            throw new BadInputException(Location.file(Path.of(input)), null, "no rows");
        }
        return result;
    }

    public Path file() {
        return file;
    }

    public long rows() {
        return rows;
    }

    /**
     * Runs a reader of the staged file (the stage's own checks) and reports what it rejects at the row's place in the
     * user's input, as the single-machine command would.
     */
    public <T> T check(Supplier<T> reader) {
        try {
            return reader.get();
        } catch (BadInputException e) {
            if (e.location() != null && e.location().file().equals(file)) {
                throw e.at(origin.of(e.location().line() - 1));
            }
            String message = String.valueOf(e.getMessage());
            if (e.location() == null && message.contains(file.toString())) {
                throw new BadInputException(message.replace(file.toString(), input), e);
            }
            throw e;
        }
    }

    private static StagedInput fromJson(Path source, long limit, boolean numberRows, Path staged) {
        List<Path> files = Files.isDirectory(source) ? jsonFiles(source) : List.of(source);
        if (files.isEmpty()) {
            throw new BadInputException(Location.file(source), null, "no part files in this directory");
        }
        List<Long> firstOrdinals = new ArrayList<>();
        long count = 0;
        try (BufferedWriter out = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
            for (Path file : files) {
                if (limit > 0 && count >= limit) {
                    break;
                }
                firstOrdinals.add(count);
                try (JsonRows rows = JsonRows.open(file)) {
                    for (; rows.hasNext() && (limit <= 0 || count < limit); count++) {
                        JsonRow row = rows.next();
                        out.write(numberRows ? withId(row, count) : Json.line(row.node()));
                        out.write('\n');
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + staged + ": " + e.getMessage(), e);
        }
        return new StagedInput(source.toString(), staged, count, ordinal -> {
            int k = fileOf(firstOrdinals, ordinal);
            try (JsonRows rows = JsonRows.open(files.get(k))) {
                for (long i = firstOrdinals.get(k); i < ordinal; i++) {
                    rows.next();
                }
                return rows.next().location();
            }
        });
    }

    /** The non-empty data files of a directory of part files, by name (hidden files, "_" or "." first, are Spark's own). */
    private static List<Path> jsonFiles(Path dir) {
        try (var listing = Files.list(dir)) {
            return listing.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("_") && !file.getFileName().toString().startsWith("."))
                    .filter(file -> file.toFile().length() > 0)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The index of the file that holds the row at {@code ordinal}, given each file's first ordinal. */
    private static int fileOf(List<Long> firstOrdinals, long ordinal) {
        int k = firstOrdinals.size() - 1;
        while (firstOrdinals.get(k) > ordinal) {
            k--;
        }
        return k;
    }

    private static StagedInput fromParquet(SparkSession spark, String input, long limit, boolean numberRows, Path staged) {
        Dataset<Row> table = spark.read().parquet(input);
        Column[] columns = Arrays.stream(table.columns()).map(name -> col("`" + name + "`")).toArray(Column[]::new);
        Dataset<Row> ordered = table.select(to_json(struct(columns)), col("_metadata.file_path"), col("_metadata.row_index"))
                .orderBy(col("file_path"), col("row_index"));
        if (limit > 0) {
            ordered = ordered.limit((int) Math.min(limit, Integer.MAX_VALUE));
        }
        List<String> files = new ArrayList<>();
        List<Long> firstOrdinals = new ArrayList<>();
        long count = 0;
        try (BufferedWriter out = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
            for (Iterator<Row> it = ordered.toLocalIterator(); it.hasNext(); count++) {
                Row row = it.next();
                String dataFile = row.getString(1);
                if (files.isEmpty() || !files.getLast().equals(dataFile)) {
                    files.add(dataFile);
                    firstOrdinals.add(count);
                }
                Location location = Location.tableRow(displayPath(dataFile), row.getLong(2));
                JsonRow json = new JsonRow(object(row.getString(0), location), location, count);
                out.write(numberRows ? withId(json, count) : Json.line(json.node()));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + staged + ": " + e.getMessage(), e);
        }
        return new StagedInput(input, staged, count, ordinal -> {
            int k = fileOf(firstOrdinals, ordinal);
            // rows of one file are consecutive and in row order, so the offset from the file's first row is its index
            return Location.tableRow(displayPath(files.get(k)), ordinal - firstOrdinals.get(k));
        });
    }

    private static ObjectNode object(String json, Location location) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new BadInputException(location, null, "cannot read the row: " + e.getMessage());
        }
    }

    /** The row as a JSON line with its id: its own "id" (a string or an integer), else its 0-based position. */
    private static String withId(JsonRow row, long ordinal) {
        JsonNode given = row.node().get("id");
        if (given == null || given.isNull()) {
            ObjectNode numbered = row.node().deepCopy();
            numbered.put("id", Long.toString(ordinal));
            return Json.line(numbered);
        }
        row.id("id");
        return Json.line(row.node());
    }

    private static Path displayPath(String dataFile) {
        return dataFile.startsWith("file:") ? Path.of(URI.create(dataFile)) : Path.of(dataFile);
    }
}
