package org.instruct4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.model.generate.GenerationConfig;

/**
 * The decoding fields chat and text completions share, read and checked as OpenAI does: max_tokens (or
 * max_completion_tokens), temperature 0-2, top_p in (0, 1], up to 4 stop strings, n = 1, seed, stream and
 * stream_options.include_usage. A bad value is a 400 naming the field.
 */
record GenerationRequest(GenerationConfig config, boolean stream, boolean includeUsage) {
    private static final int MAX_STOP_STRINGS = 4;

    static GenerationRequest read(JsonNode body, ServeOptions options) {
        int maxTokens = options.defaultMaxTokens();
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
                    throw ApiException.invalid(field, field + " must be a positive integer");
                }
                if (value.asInt() > options.maxTokensLimit()) {
                    throw ApiException.invalid(field, field + " is " + value.asInt() + "; this server allows at most "
                            + options.maxTokensLimit());
                }
                maxTokens = value.asInt();
            }
        }
        double temperature = number(body, "temperature", 1.0, 0, 2);
        double topP = number(body, "top_p", 1.0, 0, 1);
        if (topP == 0) {
            throw ApiException.invalid("top_p", "top_p must be greater than 0");
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.asInt() != 1)) {
            throw ApiException.invalid("n", "this server returns one choice per request; n must be 1");
        }
        long seed = 0;
        JsonNode seedNode = body.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.isIntegralNumber()) {
                throw ApiException.invalid("seed", "seed must be an integer");
            }
            seed = seedNode.asLong();
        }
        GenerationConfig config = GenerationConfig.greedy(maxTokens)
                .withSampling(temperature, topP, 0, seed)
                .withStopStrings(stops(body.get("stop")));
        boolean stream = bool(body, "stream");
        boolean includeUsage = stream && body.path("stream_options").path("include_usage").asBoolean(false);
        return new GenerationRequest(config, stream, includeUsage);
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw ApiException.invalid(field, field + " must be a number from " + min + " to " + max);
        }
        return value.asDouble();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid(field, field + " must be true or false");
        }
        return value.asBoolean();
    }

    private static List<String> stops(JsonNode stop) {
        List<String> stops = new ArrayList<>();
        if (stop == null || stop.isNull()) {
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
