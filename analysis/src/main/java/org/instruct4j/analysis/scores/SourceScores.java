package org.instruct4j.analysis.scores;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.data.ComparisonV2;
import org.instruct4j.core.data.ScoredResponse;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.Location;

/**
 * The teacher's 1-10 scores grouped by the model that wrote each response, read from either of GPT-4-LLM's two
 * files: comparison data v2 ({@code [{user_input, responses_and_scores: [{response, score, source}]}]}, JSON array or
 * JSONL) or the plot file {@code cmp_data_scores.json} ({@code {"gpt4": [9.0, ...], "icm-1.3b": [...]}}).
 * Sources keep the order in which they first appear.
 */
public record SourceScores(Path file, Map<String, double[]> bySource) {
    public SourceScores {
        bySource = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bySource));
    }

    public static SourceScores read(Path file) {
        return isScoreLists(file) ? readScoreLists(file) : readComparisons(file);
    }

    private static SourceScores readComparisons(Path file) {
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        Datasets.forEach(file, ComparisonV2::fromJson, row -> {
            for (ScoredResponse response : row.responsesAndScores()) {
                scores.computeIfAbsent(response.source(), s -> new ArrayList<>()).add(response.score());
            }
        });
        Map<String, double[]> arrays = new LinkedHashMap<>();
        scores.forEach((source, list) -> arrays.put(source, list.stream().mapToDouble(Double::doubleValue).toArray()));
        return new SourceScores(file, arrays);
    }

    /** True when the file's first value is an object whose first field holds an array of numbers. */
    private static boolean isScoreLists(Path file) {
        try (InputStream in = open(file); JsonParser parser = Json.MAPPER.getFactory().createParser(in)) {
            return parser.nextToken() == JsonToken.START_OBJECT
                    && parser.nextToken() == JsonToken.FIELD_NAME
                    && parser.nextToken() == JsonToken.START_ARRAY
                    && isNumberOrEnd(parser.nextToken());
        } catch (JsonProcessingException e) {
            // not JSON at all: the comparison reader reports where, with the file's line
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isNumberOrEnd(JsonToken token) {
        return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.END_ARRAY;
    }

    private static SourceScores readScoreLists(Path file) {
        Map<String, double[]> bySource = new LinkedHashMap<>();
        try (InputStream in = open(file); JsonParser parser = Json.MAPPER.getFactory().createParser(in)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String source = parser.currentName();
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw error(file, parser, source, "expected an array of scores");
                }
                List<Double> scores = new ArrayList<>();
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    if (!parser.currentToken().isNumeric()) {
                        throw error(file, parser, source + "[" + scores.size() + "]", "expected a number");
                    }
                    scores.add(parser.getDoubleValue());
                }
                bySource.put(source, scores.stream().mapToDouble(Double::doubleValue).toArray());
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw error(file, parser, null, "expected one object of score lists and nothing after it");
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException(Location.jsonl(file, line), null, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new SourceScores(file, bySource);
    }

    private static BadInputException error(Path file, JsonParser parser, String field, String problem) {
        return new BadInputException(Location.jsonl(file, parser.currentTokenLocation().getLineNr()), field, problem);
    }

    private static InputStream open(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(Location.file(file), null, "no such file");
        }
    }
}
