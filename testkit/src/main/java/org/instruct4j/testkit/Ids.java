package org.instruct4j.testkit;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Object ids in OpenAI's style: a type prefix and random hex. */
final class Ids {
    private Ids() {}

    static String random(String prefix) {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }
}
