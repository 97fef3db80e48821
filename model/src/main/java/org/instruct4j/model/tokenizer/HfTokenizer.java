package org.instruct4j.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Hugging Face tokenizer.json, run by the Rust tokenizers library through DJL. Special tokens come from
 * tokenizer_config.json (bos_token, eos_token, pad_token) and are resolved to ids through tokenizer.json.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {
    static {
        // DJL otherwise contacts a cloud metadata address for telemetry; this project runs offline.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final byte[][] tokenBytes;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, int bosId, int eosId, int padId, byte[][] tokenBytes) {
        this.tokenizer = tokenizer;
        this.tokenBytes = tokenBytes;
        this.vocabSize = vocabSize;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
    }

    /** Reads {@code dir}/tokenizer.json and, when present, {@code dir}/tokenizer_config.json. */
    public static HfTokenizer read(Path dir) {
        Path file = dir.resolve("tokenizer.json");
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode spec = json.readTree(file.toFile());
            Map<String, Integer> ids = new HashMap<>();
            spec.path("model").path("vocab").fields().forEachRemaining(e -> {
                if (e.getValue().canConvertToInt()) {
                    ids.put(e.getKey(), e.getValue().asInt());
                }
            });
            for (JsonNode added : spec.path("added_tokens")) {
                ids.put(added.path("content").asText(), added.path("id").asInt());
            }
            int vocab = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
            Path configFile = dir.resolve("tokenizer_config.json");
            JsonNode config = Files.isRegularFile(configFile) ? json.readTree(configFile.toFile()) : json.createObjectNode();
            int bos = idOf(config.get("bos_token"), ids);
            int eos = idOf(config.get("eos_token"), ids);
            int pad = idOf(config.get("pad_token"), ids);
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .build();
            return new HfTokenizer(tokenizer, vocab, bos, eos, pad, HfTokenBytes.read(spec, ids, vocab));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** A special token is written as a string or as {"content": ...}; -1 when absent or unknown. */
    private static int idOf(JsonNode token, Map<String, Integer> ids) {
        if (token == null || token.isNull()) {
            return -1;
        }
        String content = token.isTextual() ? token.asText() : token.path("content").asText();
        return ids.getOrDefault(content, -1);
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int offset = addBos && bosId >= 0 ? 1 : 0;
        int[] out = new int[ids.length + offset];
        if (offset == 1) {
            out[0] = bosId;
        }
        for (int i = 0; i < ids.length; i++) {
            out[i + offset] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, true);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return tokenBytes[id].clone();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public int padId() {
        return padId >= 0 ? padId : eosId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
