package org.instruct4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.serve.SamplingDefaults;
import org.instruct4j.serve.structured.JsonGrammar;
import org.instruct4j.serve.structured.SchemaException;
import org.instruct4j.serve.structured.StructuredOutputs;

/**
 * The decoding fields chat and text completions share, read and checked as OpenAI (and vLLM, for its extensions
 * top_k, repetition_penalty and ignore_eos) do: max_completion_tokens (or max_tokens), temperature 0-2, top_p in (0, 1], top_k, up to 4
 * stop strings, n choices, seed, log-probabilities, response_format, stream and stream_options.include_usage.
 * Fields a request leaves out take the model's defaults. Unknown fields are ignored; a bad value, or a known feature
 * this server does not have, is a 400 naming the field.
 */
record GenerationRequest(GenerationConfig config, Long seed, int n, int topLogprobs, JsonGrammar grammar, boolean stream,
                         boolean includeUsage) {
    static final int MAX_CHOICES = 16;
    static final int MAX_TOP_LOGPROBS = 20;
    private static final int MAX_STOP_STRINGS = 4;
    /** OpenAI fields whose non-default values ask for something this server does not do. */
    private static final Set<String> UNSUPPORTED = Set.of("presence_penalty", "frequency_penalty", "logit_bias", "tools",
            "functions", "echo", "suffix", "best_of");

    /** The settings of choice {@code index}: choice 0 keeps the request's seed, the others derive their own from it. */
    GenerationConfig choice(int index) {
        long base = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        long choiceSeed = index == 0 ? base : new SplittableRandom(base).split().nextLong() + index;
        return config.withSampling(config.temperature(), config.topP(), config.topK(), choiceSeed);
    }

    /** {@code chat}: logprobs is a boolean with top_logprobs beside it; else (text completions) logprobs is the count. */
    static GenerationRequest read(JsonNode body, boolean chat, ServeOptions options, SamplingDefaults defaults,
                                  StructuredOutputs structured) {
        rejectUnsupported(body);
        int maxTokens = defaults.maxTokens() == null ? options.defaultMaxTokens()
                : Math.min(defaults.maxTokens(), options.maxTokensLimit());
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            JsonNode value = body.get(field);
            if (present(value)) {
                maxTokens = integer(value, field, 1, options.maxTokensLimit());
            }
        }
        double temperature = number(body, "temperature", defaults.temperature(), 0, 2);
        double topP = number(body, "top_p", defaults.topP(), 0, 1);
        if (topP == 0) {
            throw ApiException.invalid("top_p", "top_p must be greater than 0");
        }
        int topK = present(body.get("top_k")) ? Math.max(0, integer(body.get("top_k"), "top_k", -1, Integer.MAX_VALUE)) : defaults.topK();
        double penalty = number(body, "repetition_penalty", defaults.repetitionPenalty(), 0, Double.MAX_VALUE);
        if (penalty == 0) {
            throw ApiException.invalid("repetition_penalty", "repetition_penalty must be greater than 0");
        }
        int n = present(body.get("n")) ? integer(body.get("n"), "n", 1, MAX_CHOICES) : 1;
        Long seed = present(body.get("seed")) ? longValue(body.get("seed"), "seed") : null;
        GenerationConfig config = GenerationConfig.greedy(maxTokens).withSampling(temperature, topP, topK, 0)
                .withRepetitionPenalty(penalty).withStopStrings(stops(body.get("stop"))).withStopAtEos(!bool(body, "ignore_eos"));
        boolean stream = bool(body, "stream");
        JsonNode streamOptions = body.get("stream_options");
        if (present(streamOptions) && !stream) {
            throw ApiException.invalid("stream_options", "stream_options is only allowed when stream is true");
        }
        boolean includeUsage = stream && body.path("stream_options").path("include_usage").asBoolean(false);
        return new GenerationRequest(config, seed, n, chat ? chatLogprobs(body) : textLogprobs(body),
                grammar(body.get("response_format"), structured), stream, includeUsage);
    }

    private static void rejectUnsupported(JsonNode body) {
        for (String field : UNSUPPORTED) {
            JsonNode value = body.get(field);
            boolean neutral = !present(value) || value.isNumber() && value.asDouble() == 0 || value.isBoolean() && !value.asBoolean()
                    || value.isContainerNode() && value.isEmpty() || field.equals("best_of") && value.asInt() == 1;
            if (!neutral) {
                throw ApiException.invalid(field, field + " is not supported by this server");
            }
        }
    }

    private static int chatLogprobs(JsonNode body) {
        boolean logprobs = bool(body, "logprobs");
        JsonNode top = body.get("top_logprobs");
        if (!present(top)) {
            return logprobs ? 0 : -1;
        }
        int count = integer(top, "top_logprobs", 0, MAX_TOP_LOGPROBS);
        if (!logprobs) {
            throw ApiException.invalid("top_logprobs", "top_logprobs needs logprobs set to true");
        }
        return count;
    }

    private static int textLogprobs(JsonNode body) {
        JsonNode logprobs = body.get("logprobs");
        return present(logprobs) ? integer(logprobs, "logprobs", 0, MAX_TOP_LOGPROBS) : -1;
    }

    private static JsonGrammar grammar(JsonNode format, StructuredOutputs structured) {
        if (!present(format)) {
            return null;
        }
        String type = format.path("type").asText();
        return switch (type) {
            case "text" -> null;
            case "json_object" -> structured.jsonObject();
            case "json_schema" -> {
                JsonNode schema = format.path("json_schema").get("schema");
                if (schema == null) {
                    throw ApiException.invalid("response_format", "response_format json_schema needs json_schema.schema");
                }
                try {
                    yield structured.jsonSchema(schema);
                } catch (SchemaException e) {
                    throw ApiException.invalid("response_format", "response_format.json_schema.schema: " + e.getMessage());
                }
            }
            default -> throw ApiException.invalid("response_format",
                    "response_format type must be text, json_object or json_schema, got '" + type + "'");
        };
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    private static int integer(JsonNode value, String field, int min, int max) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw ApiException.invalid(field, field + " must be an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    private static long longValue(JsonNode value, String field) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.invalid(field, field + " must be an integer");
        }
        return value.asLong();
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max) {
        JsonNode value = body.get(field);
        if (!present(value)) {
            return fallback;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw ApiException.invalid(field, field + " must be a number from " + min + " to " + max);
        }
        return value.asDouble();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!present(value)) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid(field, field + " must be true or false");
        }
        return value.asBoolean();
    }

    private static List<String> stops(JsonNode stop) {
        List<String> stops = new ArrayList<>();
        if (!present(stop)) {
            return stops;
        }
        if (stop.isTextual()) {
            stops.add(stop.asText());
        } else if (stop.isArray() && stop.size() <= MAX_STOP_STRINGS) {
            for (JsonNode s : stop) {
                if (!s.isTextual()) {
                    throw ApiException.invalid("stop", "stop must be a string or an array of strings");
                }
                stops.add(s.asText());
            }
        } else {
            throw ApiException.invalid("stop", "stop must be a string or an array of at most " + MAX_STOP_STRINGS + " strings");
        }
        if (stops.stream().anyMatch(String::isEmpty)) {
            throw ApiException.invalid("stop", "stop strings must not be empty");
        }
        return stops;
    }
}
