package org.instruct4j.bench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.serve.schedule.TokenConstraint;
import org.instruct4j.serve.structured.JsonGrammar;
import org.instruct4j.serve.structured.StructuredOutputs;
import org.instruct4j.testkit.SharedData;

/**
 * The per-token cost of constrained decoding: rows walk a grammar by sampling from uniform logits under its mask
 * (as a model would, but without the model), and each token's mask and advance is timed (not the pick). The first rows meet new
 * positions (a vocabulary walk each); later rows of the same schema mostly find their masks cached. Reported per
 * vocabulary (stories260K's 512 tokens, Llama 2's 32,000) and grammar: the vocabulary's one-off preparation, the
 * mean and p99 microseconds per token over all rows, and over the last half of them (warm cache).
 *
 * <p>Usage: {@code StructuredOutputBench [rows=200] [maxTokens=200]}
 */
public final class StructuredOutputBench {
    private static final String SCHEMA = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 24}, "age": {"type": "integer"},
             "tags": {"type": "array", "items": {"type": "string", "maxLength": 12}, "maxItems": 4},
             "address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": ["string", "null"]}},
                         "required": ["city", "zip"], "additionalProperties": false}},
             "required": ["name", "age", "tags", "address"], "additionalProperties": false}""";

    private StructuredOutputBench() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int maxTokens = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        JsonNode schema = Json.MAPPER.readTree(SCHEMA);
        for (String file : List.of("models/stories260K/tok512.bin", "models/llama2_tokenizer/tokenizer.model")) {
            Tokenizer tokenizer = Tokenizers.load(SharedData.path(file));
            long start = System.nanoTime();
            StructuredOutputs outputs = new StructuredOutputs(tokenizer);
            System.out.printf("%s: %d tokens, vocabulary trie built in %.0f ms%n", file, tokenizer.vocabSize(),
                    (System.nanoTime() - start) / 1e6);
            measure("json_object", outputs.jsonObject(), tokenizer, rows, maxTokens);
            measure("json_schema", outputs.jsonSchema(schema), tokenizer, rows, maxTokens);
        }
    }

    private static void measure(String name, JsonGrammar grammar, Tokenizer tokenizer, int rows, int maxTokens) {
        Random random = new Random(7);
        float[] logits = new float[tokenizer.vocabSize()];
        long[][] perRow = new long[rows][];
        int tokens = 0;
        for (int row = 0; row < rows; row++) {
            TokenConstraint constraint = grammar.newConstraint();
            long[] nanos = new long[maxTokens];
            int n = 0;
            for (; n < maxTokens; n++) {
                Arrays.fill(logits, 0);
                long start = System.nanoTime();
                constraint.mask(logits);
                nanos[n] = System.nanoTime() - start;
                int token = pick(logits, random);
                boolean end = token == tokenizer.eosId();
                if (!end) {
                    start = System.nanoTime();
                    constraint.accept(token);
                    nanos[n] += System.nanoTime() - start;
                }
                if (end || constraint.complete()) {
                    n++;
                    break;
                }
            }
            perRow[row] = Arrays.copyOf(nanos, n);
            tokens += n;
        }
        System.out.printf("  %-11s %d rows, %d tokens, %d vocabulary walks: all rows %s; last half %s%n", name, rows, tokens,
                grammar.walks(), stats(perRow, 0), stats(perRow, rows / 2));
    }

    /** A uniform pick among the allowed tokens. */
    private static int pick(float[] logits, Random random) {
        int allowed = 0;
        int[] candidates = new int[logits.length];
        for (int t = 0; t < logits.length; t++) {
            if (logits[t] == 0) {
                candidates[allowed++] = t;
            }
        }
        return candidates[random.nextInt(allowed)];
    }

    private static String stats(long[][] perRow, int fromRow) {
        long[] all = Arrays.stream(perRow, fromRow, perRow.length).flatMapToLong(Arrays::stream).sorted().toArray();
        double mean = Arrays.stream(all).average().orElse(0) / 1000;
        double p99 = all[Math.min(all.length - 1, (int) (0.99 * all.length))] / 1000.0;
        return String.format("mean %.1f us, p99 %.1f us per token", mean, p99);
    }
}
