package org.instruct4j.serve.structured;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * Structured output for one model: OpenAI's {@code response_format} {@code json_object} (any JSON object) and
 * {@code json_schema} (a value valid against the schema) as {@link JsonGrammar}s over the model's vocabulary (built
 * once). Compiled grammars are kept by schema text (least recently used dropped past {@link #CACHED_SCHEMAS}), so
 * repeated requests with one schema share their masks.
 */
public final class StructuredOutputs {
    static final int CACHED_SCHEMAS = 64;

    private final Vocabulary vocabulary;
    private final JsonGrammar jsonObject;
    private final Map<String, JsonGrammar> schemas = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonGrammar> eldest) {
            return size() > CACHED_SCHEMAS;
        }
    };

    public StructuredOutputs(Tokenizer tokenizer) {
        this.vocabulary = new Vocabulary(tokenizer);
        this.jsonObject = new JsonGrammar(SchemaCompiler.ANY_OBJECT, vocabulary);
    }

    /** Any JSON object. */
    public JsonGrammar jsonObject() {
        return jsonObject;
    }

    /**
     * Values valid against {@code schema}.
     *
     * @throws SchemaException naming the place of what the supported subset does not cover
     */
    public synchronized JsonGrammar jsonSchema(JsonNode schema) {
        String key = Json.line(schema);
        JsonGrammar grammar = schemas.get(key);
        if (grammar == null) {
            grammar = new JsonGrammar(SchemaCompiler.compile(schema), vocabulary);
            schemas.put(key, grammar);
        }
        return grammar;
    }
}
