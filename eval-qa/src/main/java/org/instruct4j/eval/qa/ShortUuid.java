package org.instruct4j.eval.qa;

import java.security.SecureRandom;

/**
 * Ids in the style of Python's {@code shortuuid.uuid()}, which FastChat uses for answer and review ids:
 * 22 characters of a 57-letter alphabet without look-alikes (0/O, 1/l/I), about 128 random bits.
 */
public final class ShortUuid {
    private static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int LENGTH = 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ShortUuid() {}

    public static String random() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(id);
    }
}
