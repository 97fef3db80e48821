package org.instruct4j.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bytes of every token of a tokenizer.json, read from its vocabulary as its decoder would produce them: a
 * byte-level vocabulary (GPT-2, Llama 3, Qwen2) maps each character back to the byte it stands for; a SentencePiece
 * one (Llama 1/2, Mistral) turns U+2581 into a space and {@code <0xNN>} byte-fallback pieces into their byte; any
 * other vocabulary is taken as written. Special added tokens have no bytes.
 */
final class HfTokenBytes {
    private HfTokenBytes() {}

    static byte[][] read(JsonNode spec, Map<String, Integer> ids, int vocabSize) {
        boolean byteLevel = spec.path("decoder").toString().contains("\"ByteLevel\"");
        int[] unicodeToByte = byteLevel ? unicodeToByte() : null;
        byte[][] bytes = new byte[vocabSize][];
        ids.forEach((token, id) -> bytes[id] = byteLevel ? byteLevel(token, unicodeToByte) : sentencePiece(token));
        for (JsonNode added : spec.path("added_tokens")) {
            int id = added.path("id").asInt();
            bytes[id] = added.path("special").asBoolean(false)
                    ? new byte[0] : added.path("content").asText().getBytes(StandardCharsets.UTF_8);
        }
        for (int id = 0; id < vocabSize; id++) {
            if (bytes[id] == null) {
                bytes[id] = new byte[0];
            }
        }
        return bytes;
    }

    private static byte[] byteLevel(String token, int[] unicodeToByte) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= unicodeToByte.length || unicodeToByte[c] < 0) {
                return token.getBytes(StandardCharsets.UTF_8); // not of the byte alphabet: an added token's text
            }
            out[i] = (byte) unicodeToByte[c];
        }
        return out;
    }

    private static byte[] sentencePiece(String token) {
        if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) {
            try {
                return new byte[] {(byte) Integer.parseInt(token.substring(3, 5), 16)};
            } catch (NumberFormatException notAByte) {
                // an ordinary piece that looks like one
            }
        }
        return token.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
    }

    /**
     * GPT-2's byte-level alphabet reversed: printable bytes stand for themselves, the other 68 bytes for the
     * characters from U+0100 on, in byte order.
     */
    private static int[] unicodeToByte() {
        int[] table = new int[256 + 68];
        java.util.Arrays.fill(table, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[printable ? b : next++] = b;
        }
        return table;
    }
}
