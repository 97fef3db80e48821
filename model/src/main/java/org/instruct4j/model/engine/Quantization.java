package org.instruct4j.model.engine;

import java.util.Locale;
import org.instruct4j.core.io.BadInputException;

/**
 * Whether the CPU engine quantizes a model's matrices when it loads them, to GGUF's block formats: Q8_0 (8-bit,
 * a quarter of float32's bytes) or Q4_0 (4-bit, an eighth). A checkpoint already stored so is used as it is.
 */
public enum Quantization {
    NONE, Q8_0, Q4_0;

    /** none, q8_0 or q4_0 (any case). */
    public static Quantization parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "q8_0", "q8" -> Q8_0;
            case "q4_0", "q4" -> Q4_0;
            default -> throw new BadInputException("unknown quantization '" + name + "': use none, q8_0 or q4_0");
        };
    }
}
