package org.instruct4j.spark.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.util.LongAccumulator;
import org.instruct4j.analysis.verbs.VerbNoun;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.analysis.corenlp.VerbNounExtractor;
import org.instruct4j.core.io.Json;
import org.instruct4j.spark.io.Results;
import scala.Tuple2;

/**
 * One Spark task of {@code spark analyze verbs}: the analysis module's verb-noun rule on the text field of each of the
 * partition's rows. Emits one {@code {id, verb, noun}} JSON line per row (null verb: the first sentence's root is not
 * a verb; null noun: the verb has no direct-object common noun) and a summary with the partition's counts, which the
 * driver adds up.
 */
final class VerbsPartition implements MapPartitionsFunction<String, Tuple2<String, String>> {
    private final String field;
    private final LongAccumulator done;

    VerbsPartition(String field, LongAccumulator done) {
        this.field = field;
        this.done = done;
    }

    @Override
    public Iterator<Tuple2<String, String>> call(Iterator<String> lines) {
        VerbNounExtractor extractor = SharedExtractor.get();
        VerbNounCounts counts = new VerbNounCounts();
        List<Tuple2<String, String>> results = new ArrayList<>();
        while (lines.hasNext()) {
            JsonNode row = parse(lines.next());
            Optional<VerbNoun> found = extractor.extract(row.get(field).asText());
            counts.add(found);
            ObjectNode result = Json.object().put("id", row.get("id").asText());
            result.put("verb", found.map(VerbNoun::verb).orElse(null)).put("noun", found.map(VerbNoun::noun).orElse(null));
            results.add(new Tuple2<>(Results.ROW, Json.line(result)));
            done.add(1);
        }
        results.add(new Tuple2<>(Results.SUMMARY, Json.line(counts.toJson(0))));
        return results.iterator();
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
