package org.instruct4j.cli.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes generated rows in the released GPT-4-LLM / Alpaca file format.",
            "A JSON array of {instruction, input, output} in input order (rows sorted by id: numerically when every id is "
                + "a number), extra fields dropped."})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--input", required = true, paramLabel = "O.jsonl", description = "Rows with id, instruction, input, output.")
    Path input;

    @Option(names = "--format", defaultValue = "alpaca-json", paramLabel = "alpaca-json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Writes
    @Option(names = "--output", required = true, paramLabel = "F.json", description = "Output file (written atomically).")
    Path output;

    private record Row(String id, AlpacaExample example) {}

    @Override
    public Integer call() {
        if (!format.equals("alpaca-json")) {
            throw new BadInputException("unknown --format \"" + format + "\"; supported: alpaca-json");
        }
        List<Row> rows = new ArrayList<>(Datasets.readAll(input, row -> new Row(row.id("id"), AlpacaExample.fromJson(row))));
        rows.sort(inputOrder(rows));
        AtomicFiles.write(output, out -> {
            try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                json.useDefaultPrettyPrinter();
                json.writeStartArray();
                for (Row row : rows) {
                    json.writeObject(row.example().toJson());
                }
                json.writeEndArray();
            }
        });
        spec.commandLine().getErr().printf("exported %,d rows to %s%n", rows.size(), output);
        return 0;
    }

    private static Comparator<Row> inputOrder(List<Row> rows) {
        boolean numeric = rows.stream().allMatch(r -> r.id().matches("\\d{1,18}"));
        return numeric ? Comparator.comparingLong(r -> Long.parseLong(r.id())) : Comparator.comparing(Row::id, ExportCommand::natural);
    }

    /** Orders "seed_task_2" before "seed_task_10". */
    static int natural(String a, String b) {
        String[] pa = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        String[] pb = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = pa[i].matches("\\d+") && pb[i].matches("\\d+")
                    ? new java.math.BigInteger(pa[i]).compareTo(new java.math.BigInteger(pb[i]))
                    : pa[i].compareTo(pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }
}
