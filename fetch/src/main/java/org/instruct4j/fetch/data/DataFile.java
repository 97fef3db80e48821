package org.instruct4j.fetch.data;

import java.util.List;
import org.instruct4j.fetch.ExpectedFile;

/**
 * One public file the project uses, under its name (a relative path such as {@code alpaca/seed_tasks.jsonl}, the same in
 * the cache and in an offline mirror): what it must be, its licence, what it holds, and where it is published.
 */
public record DataFile(String name, ExpectedFile expected, Licence licence, String about, List<Origin> origins) {
    public DataFile {
        origins = List.copyOf(origins);
    }
}
