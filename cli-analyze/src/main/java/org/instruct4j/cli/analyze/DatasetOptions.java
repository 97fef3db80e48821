package org.instruct4j.cli.analyze;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.cli.Reads;
import picocli.CommandLine.Option;

/** The datasets to analyse: one or more files, their display names, and the text field. */
final class DatasetOptions {
    @Reads
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Dataset file: Alpaca / GPT-4-LLM JSON or JSONL, FastChat answers JSONL... (repeatable).")
    List<Path> inputs;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Display name of the matching --input, in order (default: the file name).")
    List<String> names = List.of();

    @Option(names = "--field", paramLabel = "FIELD",
            description = "Text field of each row, e.g. output or instruction (default: the first of output, text, response that the rows have).")
    String field;

    @Option(names = "--distinct", description = "Analyse each distinct text once, as the paper's notebook did.")
    boolean distinct;

    /** Reads and checks every row of every input before any work. */
    List<DatasetTexts> read() {
        return DatasetTexts.readAll(inputs, names, field).stream().map(d -> distinct ? d.distinct() : d).toList();
    }
}
