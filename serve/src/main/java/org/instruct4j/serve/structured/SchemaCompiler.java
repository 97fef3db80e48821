package org.instruct4j.serve.structured;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.instruct4j.core.io.Json;

/**
 * Reads a JSON Schema into the {@link Schema} graph that constrained decoding follows. The subset: {@code type}
 * (one or a list) object / array / string / number / integer / boolean / null; {@code properties}, {@code required},
 * {@code additionalProperties}; {@code items}, {@code minItems}, {@code maxItems}; {@code minLength},
 * {@code maxLength}; {@code enum}, {@code const}; {@code anyOf} / {@code oneOf} (as anyOf); a one-element
 * {@code allOf}; {@code $ref} to any place of the document ({@code #}, {@code #/$defs/...}), recursion included;
 * OpenAPI's {@code nullable}. Annotations ({@code title}, {@code description}, {@code default}, {@code format}, which
 * JSON Schema 2020-12 does not assert, ...) are ignored; keywords that would restrict values in ways this subset
 * cannot enforce ({@code pattern}, {@code minimum}, ...) are errors naming their place, so every generated value is
 * valid against the schema.
 */
final class SchemaCompiler {
    /** Any JSON value. */
    static final UnionSchema ANY = anyValue();
    /** Any JSON object (OpenAI's json_object). */
    static final ObjectSchema ANY_OBJECT = new ObjectSchema(List.of(), ANY);

    private static final Set<String> UNSUPPORTED = Set.of("pattern", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf", "minProperties", "maxProperties", "patternProperties", "propertyNames",
            "dependentRequired", "dependentSchemas", "dependencies", "if", "then", "else", "not", "uniqueItems",
            "contains", "minContains", "maxContains", "prefixItems", "additionalItems", "unevaluatedProperties",
            "unevaluatedItems", "$dynamicRef", "$recursiveRef");
    private static final List<String> COMBINATORS = List.of("enum", "const", "anyOf", "oneOf", "allOf", "$ref");
    private static final List<String> TYPE_KEYWORDS = List.of("type", "properties", "required", "additionalProperties",
            "items", "minItems", "maxItems", "minLength", "maxLength");

    private final JsonNode document;
    private final Map<String, UnionSchema> references = new HashMap<>();
    private final List<UnionSchema> unions = new ArrayList<>();

    private SchemaCompiler(JsonNode document) {
        this.document = document;
    }

    /** The schema graph of {@code document}; a {@link SchemaException} names the place of anything unsupported. */
    static Schema compile(JsonNode document) {
        SchemaCompiler compiler = new SchemaCompiler(document);
        Schema root = compiler.schema(document, "");
        for (UnionSchema union : compiler.unions) {
            try {
                union.resolve(new ArrayList<>());
            } catch (IllegalArgumentException cycle) {
                throw new SchemaException("", cycle.getMessage());
            }
        }
        return root;
    }

    private static UnionSchema anyValue() {
        UnionSchema any = new UnionSchema();
        any.add(new ObjectSchema(List.of(), any)).add(new ArraySchema(any, 0, Integer.MAX_VALUE)).add(StringSchema.ANY)
                .add(NumberSchema.NUMBER).add(LiteralSchema.BOOLEAN).add(LiteralSchema.NULL);
        any.resolve(new ArrayList<>());
        return any;
    }

    private Schema schema(JsonNode node, String path) {
        if (node.isBoolean()) {
            if (!node.asBoolean()) {
                throw new SchemaException(path, "the schema false allows no value");
            }
            return ANY;
        }
        if (!node.isObject()) {
            throw new SchemaException(path, "a schema must be an object or a boolean");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (UNSUPPORTED.contains(keyword)) {
                throw new SchemaException(path, "'" + keyword + "' is not supported for structured output");
            }
        }
        List<String> combinators = COMBINATORS.stream().filter(node::has).toList();
        boolean typed = TYPE_KEYWORDS.stream().anyMatch(node::has);
        if (combinators.size() > 1 || !combinators.isEmpty() && typed && !combinators.get(0).matches("enum|const")) {
            throw new SchemaException(path, "cannot combine " + String.join(", ", combinators)
                    + (typed ? " with type keywords" : "") + "; put the alternatives' keywords inside each of them");
        }
        Schema schema = combinators.isEmpty() ? typed(node, path) : combined(node, combinators.get(0), path);
        return node.path("nullable").asBoolean(false) ? union(List.of(schema, LiteralSchema.NULL)) : schema;
    }

    private Schema combined(JsonNode node, String keyword, String path) {
        JsonNode value = node.get(keyword);
        String at = path + "/" + keyword;
        return switch (keyword) {
            case "enum" -> {
                if (!value.isArray() || value.isEmpty()) {
                    throw new SchemaException(at, "enum must be a non-empty array");
                }
                List<String> texts = new ArrayList<>();
                value.forEach(v -> texts.add(Json.line(v)));
                yield LiteralSchema.of(texts);
            }
            case "const" -> LiteralSchema.of(List.of(Json.line(value)));
            case "anyOf", "oneOf" -> {
                if (!value.isArray() || value.isEmpty()) {
                    throw new SchemaException(at, keyword + " must be a non-empty array of schemas");
                }
                List<Schema> members = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    members.add(schema(value.get(i), at + "/" + i));
                }
                yield union(members);
            }
            case "allOf" -> {
                if (!value.isArray() || value.size() != 1) {
                    throw new SchemaException(at, "allOf is supported with one schema only");
                }
                yield schema(value.get(0), at + "/0");
            }
            default -> reference(value, at);
        };
    }

    private Schema reference(JsonNode ref, String path) {
        if (!ref.isTextual() || !ref.asText().startsWith("#")) {
            throw new SchemaException(path, "only references within the document ('#...') are supported");
        }
        String pointer = ref.asText().substring(1);
        UnionSchema target = references.get(pointer);
        if (target == null) {
            JsonNode node = document.at(pointer);
            if (node.isMissingNode()) {
                throw new SchemaException(path, "the reference '" + ref.asText() + "' points nowhere");
            }
            target = new UnionSchema();
            references.put(pointer, target);
            unions.add(target);
            target.add(schema(node, pointer));
        }
        return target;
    }

    private Schema typed(JsonNode node, String path) {
        List<String> types = types(node, path);
        List<Schema> alternatives = new ArrayList<>();
        for (String type : types) {
            alternatives.add(switch (type) {
                case "object" -> object(node, path);
                case "array" -> array(node, path);
                case "string" -> {
                    int min = count(node, "minLength", 0, path);
                    yield new StringSchema(min, atLeast(min, count(node, "maxLength", Integer.MAX_VALUE, path), "maxLength", path));
                }
                case "number" -> NumberSchema.NUMBER;
                case "integer" -> NumberSchema.INTEGER;
                case "boolean" -> LiteralSchema.BOOLEAN;
                case "null" -> LiteralSchema.NULL;
                default -> throw new SchemaException(path + "/type", "unknown type '" + type + "'");
            });
        }
        return union(alternatives);
    }

    /** The types given, or those the keywords imply (any value when none does). */
    private static List<String> types(JsonNode node, String path) {
        JsonNode type = node.get("type");
        if (type == null) {
            if (node.has("properties") || node.has("required") || node.has("additionalProperties")) {
                return List.of("object");
            }
            if (node.has("items") || node.has("minItems") || node.has("maxItems")) {
                return List.of("array");
            }
            if (node.has("minLength") || node.has("maxLength")) {
                return List.of("string");
            }
            return List.of("object", "array", "string", "number", "boolean", "null");
        }
        if (type.isTextual()) {
            return List.of(type.asText());
        }
        if (type.isArray() && !type.isEmpty()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> types.add(t.asText()));
            return types;
        }
        throw new SchemaException(path + "/type", "type must be a type name or a non-empty array of them");
    }

    private ObjectSchema object(JsonNode node, String path) {
        JsonNode declared = node.path("properties");
        if (!declared.isMissingNode() && !declared.isObject()) {
            throw new SchemaException(path + "/properties", "properties must be an object");
        }
        JsonNode additional = node.get("additionalProperties");
        boolean closed = additional != null && additional.isBoolean() && !additional.asBoolean();
        Schema additionalSchema = additional == null || additional.isBoolean() ? ANY : schema(additional, path + "/additionalProperties");
        List<String> required = required(node, path);
        List<ObjectSchema.Property> properties = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            properties.add(new ObjectSchema.Property(field.getKey(), schema(field.getValue(), path + "/properties/" + escape(field.getKey())),
                    required.contains(field.getKey())));
        }
        for (String name : required) {
            if (!declared.has(name)) {
                if (closed) {
                    throw new SchemaException(path + "/required", "'" + name + "' is required but not a property, and additionalProperties is false");
                }
                properties.add(new ObjectSchema.Property(name, additionalSchema, true));
            }
        }
        if (properties.isEmpty() && !closed) {
            return new ObjectSchema(List.of(), additionalSchema);
        }
        return new ObjectSchema(properties, null);
    }

    private static List<String> required(JsonNode node, String path) {
        JsonNode required = node.path("required");
        List<String> names = new ArrayList<>();
        if (required.isMissingNode()) {
            return names;
        }
        if (!required.isArray()) {
            throw new SchemaException(path + "/required", "required must be an array of property names");
        }
        required.forEach(name -> names.add(name.asText()));
        return names;
    }

    private ArraySchema array(JsonNode node, String path) {
        JsonNode items = node.get("items");
        if (items != null && items.isArray()) {
            throw new SchemaException(path + "/items", "items must be one schema (tuples are not supported)");
        }
        int min = count(node, "minItems", 0, path);
        int max = atLeast(min, count(node, "maxItems", Integer.MAX_VALUE, path), "maxItems", path);
        return new ArraySchema(items == null ? ANY : schema(items, path + "/items"), min, max);
    }

    private static int count(JsonNode node, String keyword, int fallback, String path) {
        JsonNode value = node.get(keyword);
        if (value == null) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw new SchemaException(path + "/" + keyword, keyword + " must be a non-negative integer");
        }
        return value.asInt();
    }

    private static int atLeast(int min, int max, String keyword, String path) {
        if (max < min) {
            throw new SchemaException(path + "/" + keyword, keyword + " is below its minimum counterpart");
        }
        return max;
    }

    private Schema union(List<Schema> members) {
        if (members.size() == 1) {
            return members.get(0);
        }
        UnionSchema union = new UnionSchema();
        members.forEach(union::add);
        unions.add(union);
        return union;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
