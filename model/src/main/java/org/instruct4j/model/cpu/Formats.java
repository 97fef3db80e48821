package org.instruct4j.model.cpu;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** Names the storage formats of a model's matrices for logs. */
final class Formats {
    private Formats() {}

    static String of(Matrix... matrices) {
        Set<String> names = new LinkedHashSet<>();
        for (Matrix m : matrices) {
            if (m != null) {
                names.add(m.format());
            }
        }
        return String.join(" + ", names.stream().filter(Objects::nonNull).toList());
    }
}
