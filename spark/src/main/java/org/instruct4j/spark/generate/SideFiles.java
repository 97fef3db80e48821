package org.instruct4j.spark.generate;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files every partition of a job needs besides its rows (ratings' response files, the judge's answers), read by
 * the driver and broadcast with the job, so executors need no shared filesystem. Each task writes them into its
 * working directory under their own names (the ratings take a response file's name as its source).
 */
record SideFiles(List<String> names, List<byte[]> contents) implements Serializable {

    static SideFiles read(List<String> files) {
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (String file : files) {
            Path path = Path.of(file);
            names.add(path.getFileName().toString());
            try {
                contents.add(Files.readAllBytes(path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return new SideFiles(names, contents);
    }

    /** Writes the files under {@code dir} ({@code dir/<k>/<name>}, so two files may share a name) and returns them, in order. */
    List<Path> writeInto(Path dir) {
        List<Path> written = new ArrayList<>();
        try {
            for (int k = 0; k < names.size(); k++) {
                Path file = dir.resolve(Integer.toString(k)).resolve(names.get(k));
                Files.createDirectories(file.getParent());
                written.add(Files.write(file, contents.get(k)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the side files into " + dir + ": " + e.getMessage(), e);
        }
        return written;
    }
}
