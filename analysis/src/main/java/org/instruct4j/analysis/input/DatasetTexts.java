package org.instruct4j.analysis.input;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;

/**
 * One text field of every row of a dataset file (Alpaca JSON/JSONL, GPT-4-LLM rows, FastChat answers...), read and
 * checked whole before any analysis starts, so a bad row fails with file:line:field and nothing is written.
 *
 * @param name  how charts and tables call the dataset
 * @param field the field read from every row
 */
public record DatasetTexts(String name, Path file, String field, List<String> texts) {
    /** Tried in order when no field is given: Alpaca and GPT-4-LLM rows, FastChat answers, single responses. */
    public static final List<String> DEFAULT_FIELDS = List.of("output", "text", "response");

    public DatasetTexts {
        texts = List.copyOf(texts);
    }

    /**
     * Reads {@code field} of every row; with a null {@code field} the first of {@link #DEFAULT_FIELDS} that the first
     * row has. A null {@code name} becomes the file name without its extension.
     */
    public static DatasetTexts read(Path file, String name, String field) {
        List<String> texts = new ArrayList<>();
        String chosen = field;
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                if (chosen == null) {
                    chosen = defaultField(row);
                } else if (!row.node().has(chosen)) {
                    throw row.error(chosen, "missing; the row has " + fieldNames(row));
                }
                texts.add(row.string(chosen));
            }
        }
        return new DatasetTexts(name == null ? defaultName(file) : name, file, chosen, texts);
    }

    /**
     * Reads several files; {@code names} (may be shorter than {@code files}) name the first ones, the others are named
     * after their files. Names must differ, since charts and file names tell datasets apart by them.
     */
    public static List<DatasetTexts> readAll(List<Path> files, List<String> names, String field) {
        if (names.size() > files.size()) {
            throw new BadInputException(names.size() + " --name values for " + files.size() + " --input files");
        }
        List<DatasetTexts> datasets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            DatasetTexts texts = read(files.get(i), i < names.size() ? names.get(i) : null, field);
            if (!seen.add(texts.name())) {
                throw new BadInputException("two datasets are named \"" + texts.name()
                        + "\"; give each --input its own --name");
            }
            datasets.add(texts);
        }
        return datasets;
    }

    /** The same dataset with each distinct text once (first occurrence kept), as the paper's notebook analysed. */
    public DatasetTexts distinct() {
        return new DatasetTexts(name, file, field, List.copyOf(new LinkedHashSet<>(texts)));
    }

    public int size() {
        return texts.size();
    }

    private static String defaultField(JsonRow row) {
        for (String candidate : DEFAULT_FIELDS) {
            if (row.node().has(candidate)) {
                return candidate;
            }
        }
        throw row.error(DEFAULT_FIELDS.get(0), "missing; the row has " + fieldNames(row)
                + ", so pass --field with the field that holds the text (tried " + DEFAULT_FIELDS + ")");
    }

    private static List<String> fieldNames(JsonRow row) {
        List<String> names = new ArrayList<>();
        row.node().fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The file name without its .json or .jsonl extension. */
    public static String defaultName(Path file) {
        String fileName = file.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (String extension : List.of(".jsonl", ".json")) {
            if (lower.endsWith(extension) && fileName.length() > extension.length()) {
                return fileName.substring(0, fileName.length() - extension.length());
            }
        }
        return fileName;
    }
}
