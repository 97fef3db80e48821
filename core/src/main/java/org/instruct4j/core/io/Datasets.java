package org.instruct4j.core.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reading whole dataset files through a {@link RowDecoder}, streaming where the caller allows it. */
public final class Datasets {
    private Datasets() {}

    /** Decodes every row (for files that fit in memory: evaluation sets, seed tasks). */
    public static <T> List<T> readAll(Path file, RowDecoder<T> decoder) {
        List<T> rows = new ArrayList<>();
        forEach(file, decoder, rows::add);
        return rows;
    }

    /** Streams every decoded row to {@code sink}, one in memory at a time. */
    public static <T> void forEach(Path file, RowDecoder<T> decoder, Consumer<? super T> sink) {
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext()) {
                sink.accept(decoder.decode(rows.next()));
            }
        }
    }

    /**
     * Checks every row before any work starts, so bad input fails with file:line:field and nothing
     * is written. Returns the number of rows.
     */
    public static <T> long validate(Path file, RowDecoder<T> decoder) {
        long[] count = {0};
        forEach(file, decoder, row -> count[0]++);
        return count[0];
    }
}
