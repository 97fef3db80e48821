package org.instruct4j.teacher.tasks;

import java.util.Locale;
import org.instruct4j.core.io.BadInputException;

/** Languages the generation commands produce. */
public enum Language {
    EN("English"),
    ZH("Simplified Chinese");

    private final String englishName;

    Language(String englishName) {
        this.englishName = englishName;
    }

    public String englishName() {
        return englishName;
    }

    public static Language parse(String code) {
        try {
            return valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown language \"" + code + "\"; use en or zh");
        }
    }
}
