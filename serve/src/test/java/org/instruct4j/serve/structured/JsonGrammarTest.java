package org.instruct4j.serve.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.instruct4j.model.tokenizer.Llama2cTokenizerFile;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.serve.schedule.TokenConstraint;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The JSON grammar byte by byte, and over a real vocabulary: random walks through the allowed tokens always end in
 * a value that a JSON Schema validator nobody here wrote (networknt) accepts.
 */
class JsonGrammarTest {
    private static final Tokenizer TOKENIZER = Llama2cTokenizerFile.read(SharedData.path("models/stories260K/tok512.bin"));
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final SchemaRegistry VALIDATORS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static final String PERSON = """
            {"type": "object", "properties": {
               "name": {"type": "string", "maxLength": 20},
               "age": {"type": "integer"},
               "tags": {"type": "array", "items": {"enum": ["a", "b c", "\\u00fc", 12, null]}, "maxItems": 3},
               "address": {"type": "object", "properties": {"city": {"type": "string", "minLength": 1},
                           "zip": {"type": ["string", "null"]}}, "required": ["city"], "additionalProperties": false},
               "score": {"type": "number"},
               "ok": {"type": "boolean"}},
             "required": ["name", "age", "address"], "additionalProperties": false}""";
    static final String SHAPES = """
            {"anyOf": [
               {"type": "object", "properties": {"kind": {"const": "circle"}, "r": {"type": "number"}}, "required": ["kind", "r"],
                "additionalProperties": false},
               {"type": "object", "properties": {"kind": {"const": "square"}, "side": {"type": "integer"}}, "required": ["kind", "side"],
                "additionalProperties": false}]}""";
    static final String TREE = """
            {"$defs": {"node": {"type": "object", "properties": {"value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}, "maxItems": 2}}, "required": ["value"]}},
             "$ref": "#/$defs/node"}""";
    static final String WORDS = """
            {"type": "array", "items": {"type": "string", "minLength": 2, "maxLength": 4}, "minItems": 1, "maxItems": 5}""";
    static final String DICTIONARY = """
            {"type": "object", "additionalProperties": {"type": "integer"}}""";

    private static Schema compile(String schema) throws Exception {
        return SchemaCompiler.compile(STRICT.readTree(schema));
    }

    private static boolean accepts(String schema, String text) throws Exception {
        Position end = Position.start(compile(schema)).feed(text.getBytes(StandardCharsets.UTF_8));
        return end != null && end.mayEnd();
    }

    @Test
    void acceptsValidDocumentsAndRejectsInvalidOnes() throws Exception {
        assertThat(accepts(PERSON, "{\"name\": \"Lily\", \"age\": -3, \"address\": {\"city\": \"Paris\"}}")).isTrue();
        assertThat(accepts(PERSON, " {\"name\":\"\\u00e9\\n\",\"age\":0,\"tags\":[\"b c\",12,null],"
                + "\"address\":{\"city\":\"x\",\"zip\":null},\"score\":1.5e-3,\"ok\":false}")).isTrue();
        assertThat(accepts(PERSON, "{\"age\": 3, \"name\": \"Lily\", \"address\": {\"city\": \"Paris\"}}"))
                .as("declared order").isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"Lily\", \"address\": {\"city\": \"Paris\"}}")).as("age is required").isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"Lily\", \"age\": 1.5, \"address\": {\"city\": \"P\"}}")).as("integer").isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"Lily\", \"age\": 01, \"address\": {\"city\": \"P\"}}")).as("leading zero").isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"" + "x".repeat(21) + "\", \"age\": 1, \"address\": {\"city\": \"P\"}}")).isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"a\", \"age\": 1, \"address\": {\"city\": \"\"}}")).as("minLength").isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"a\", \"age\": 1, \"address\": {\"city\": \"P\"}, \"tags\": []}"))
                .as("tags come before address").isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"a\", \"age\": 1, \"address\": {\"city\": \"P\"},}")).as("trailing comma").isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"a\\ud800\", \"age\": 1, \"address\": {\"city\": \"P\"}}")).as("lone surrogate").isFalse();
        assertThat(accepts(PERSON, "{\"name\": \"a\", \"age\": 1, \"address\": {\"city\": \"P\"}} ")).as("nothing after").isFalse();

        assertThat(accepts(SHAPES, "{\"kind\": \"square\", \"side\": 2}")).isTrue();
        assertThat(accepts(SHAPES, "{\"kind\": \"circle\", \"r\": 2.5}")).isTrue();
        assertThat(accepts(SHAPES, "{\"kind\": \"circle\", \"side\": 2}")).isFalse();
        assertThat(accepts(TREE, "{\"value\": 1, \"children\": [{\"value\": 2}, {\"value\": 3, \"children\": []}]}")).isTrue();
        assertThat(accepts(TREE, "{\"value\": 1, \"children\": [{\"value\": 2}, {\"value\": 3}, {\"value\": 4}]}")).isFalse();
        assertThat(accepts(WORDS, "[]")).isFalse();
        assertThat(accepts(WORDS, "[\"ab\", \"abcd\"]")).isTrue();
        assertThat(accepts(WORDS, "[\"a\"]")).isFalse();
        assertThat(accepts(DICTIONARY, "{\"x\": 1, \"\": -2}")).isTrue();
        assertThat(accepts(DICTIONARY, "{\"x\": \"1\"}")).isFalse();
        assertThat(accepts(DICTIONARY, "{\n  \"x\": 1,\n\t\"y\": 2\n}")).as("one newline and indentation").isTrue();
        assertThat(accepts(DICTIONARY, "{\n\n\"x\": 1}")).as("no blank lines").isFalse();
        assertThat(accepts(DICTIONARY, "{\"x\":  1}")).as("one space").isFalse();
        assertThat(accepts("{\"type\": \"number\"}", "-0.5E+12")).isTrue();
        assertThat(accepts("{\"type\": \"number\"}", "-")).isFalse();
        assertThat(accepts("{\"enum\": [1, 12]}", "1")).isTrue();
        assertThat(accepts("{\"enum\": [1, 12]}", "12")).isTrue();
        assertThat(accepts("{\"enum\": [1, 12]}", "13")).isFalse();
        assertThat(accepts("true", "[{\"a\": [true, null, \"\\u00e9\\\"\"]}, -1]")).isTrue();
    }

    @Test
    void randomWalksThroughTheAllowedTokensEndInValidValues() throws Exception {
        StructuredOutputs outputs = new StructuredOutputs(TOKENIZER);
        Random random = new Random(13);
        for (String schema : List.of(PERSON, SHAPES, TREE, WORDS, DICTIONARY, "{\"type\": \"number\"}")) {
            JsonGrammar grammar = outputs.jsonSchema(STRICT.readTree(schema));
            int finished = 0;
            for (int walk = 0; walk < 40; walk++) {
                String text = walk(grammar.newConstraint(), random, 1000);
                if (text != null) {
                    finished++;
                    assertValid(schema, text);
                }
            }
            assertThat(finished).as("walks that finished within 1000 tokens, %s", schema).isGreaterThan(25);
        }
        for (int walk = 0; walk < 40; walk++) {
            String text = walk(outputs.jsonObject().newConstraint(), random, 400);
            if (text != null) {
                assertValid("{\"type\": \"object\"}", text);
            }
        }
    }

    /**
     * Samples uniformly among the allowed tokens (every other step among the one-byte ones, which close values
     * sooner) until the value is complete or the end-of-sequence token is drawn; null if unfinished.
     */
    static String walk(TokenConstraint constraint, Random random, int maxTokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        float[] logits = new float[TOKENIZER.vocabSize()];
        for (int step = 0; step < maxTokens; step++) {
            java.util.Arrays.fill(logits, 0);
            assertThat(constraint.mask(logits)).isTrue();
            List<Integer> allowed = new ArrayList<>();
            List<Integer> short_ = new ArrayList<>();
            for (int t = 0; t < logits.length; t++) {
                if (logits[t] == 0) {
                    allowed.add(t);
                    if (TOKENIZER.tokenBytes(t).length <= 1) {
                        short_.add(t);
                    }
                }
            }
            List<Integer> from = step % 2 == 1 && !short_.isEmpty() ? short_ : allowed;
            int token = from.get(random.nextInt(from.size()));
            if (token == TOKENIZER.eosId()) {
                return out.toString(StandardCharsets.UTF_8);
            }
            constraint.accept(token);
            out.writeBytes(TOKENIZER.tokenBytes(token));
            if (constraint.complete()) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static void assertValid(String schema, String text) throws Exception {
        JsonNode value = STRICT.readTree(text);
        assertThat(VALIDATORS.getSchema(schema).validate(value)).as("%s against %s", text, schema).isEmpty();
        assertThat(text.getBytes(StandardCharsets.UTF_8)).as("valid UTF-8").isEqualTo(
                new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatTheSubsetCannotEnforceIsAnErrorNamingItsPlace() {
        assertThatThrownBy(() -> compile("{\"type\": \"object\", \"properties\": {\"age\": {\"type\": \"integer\", \"minimum\": 0}}}"))
                .isInstanceOf(SchemaException.class).hasMessageContaining("/properties/age").hasMessageContaining("minimum");
        assertThatThrownBy(() -> compile("{\"type\": \"array\", \"items\": [{\"type\": \"string\"}]}"))
                .hasMessageContaining("/items");
        assertThatThrownBy(() -> compile("{\"$ref\": \"#/$defs/missing\"}")).hasMessageContaining("points nowhere");
        assertThatThrownBy(() -> compile("{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}"))
                .hasMessageContaining("refers to itself");
        assertThatThrownBy(() -> compile("{\"type\": \"object\", \"properties\": {}, \"required\": [\"x\"], \"additionalProperties\": false}"))
                .hasMessageContaining("/required");
        assertThatThrownBy(() -> compile("{\"type\": \"string\", \"anyOf\": [{\"maxLength\": 2}]}")).hasMessageContaining("cannot combine");
        assertThatThrownBy(() -> compile("false")).hasMessageContaining("allows no value");
    }

    @Test
    void rowsOfOneSchemaShareTheirMasks() throws Exception {
        JsonGrammar grammar = new StructuredOutputs(TOKENIZER).jsonSchema(STRICT.readTree(WORDS));
        Random random = new Random(3);
        walk(grammar.newConstraint(), random, 400);
        long afterFirst = grammar.walks();
        float[] logits = new float[TOKENIZER.vocabSize()];
        grammar.newConstraint().mask(logits);
        assertThat(grammar.walks()).as("the start position's mask is cached").isEqualTo(afterFirst);
    }
}
