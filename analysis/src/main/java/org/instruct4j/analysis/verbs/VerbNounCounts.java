package org.instruct4j.analysis.verbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.instruct4j.core.io.Json;

/**
 * What the verb-noun rule found over a dataset: how many rows it saw, how many first sentences had a verb root,
 * and how often each (verb, noun) pair occurred. Counts of parts of a dataset add up with {@link #add}, so a
 * distributed job can count per partition and merge.
 */
public final class VerbNounCounts {
    /** The paper's sunburst: the 20 verbs with most pairs, each verb's 4 most frequent nouns, pairs seen more than 10 times. */
    public static final int SUNBURST_VERBS = 20;
    public static final int SUNBURST_NOUNS_PER_VERB = 4;
    public static final long SUNBURST_MIN_COUNT_EXCLUSIVE = 10;

    /** A (verb, noun) pair and how many rows it came from. */
    public record PairCount(String verb, String noun, long count) {}

    /** A verb of the sunburst with the nouns shown under it; its value is the sum of theirs, as the paper plots it. */
    public record VerbSlice(String verb, List<PairCount> nouns) {
        public long count() {
            return nouns.stream().mapToLong(PairCount::count).sum();
        }
    }

    /** Most frequent first; ties alphabetically, so output is the same on every run. */
    private static final Comparator<PairCount> MOST_FREQUENT = Comparator.comparingLong(PairCount::count).reversed()
            .thenComparing(PairCount::verb).thenComparing(PairCount::noun);

    private final Map<VerbNoun, Long> pairs = new HashMap<>();
    private long rows;
    private long verbRoots;

    public static VerbNounCounts of(List<Optional<VerbNoun>> results) {
        VerbNounCounts counts = new VerbNounCounts();
        results.forEach(counts::add);
        return counts;
    }

    /** The counts {@link #toJson} wrote (its totals and every pair; the top pairs and sunburst are derived). */
    public static VerbNounCounts fromJson(JsonNode json) {
        VerbNounCounts counts = new VerbNounCounts();
        counts.rows = json.get("rows").asLong();
        counts.verbRoots = json.get("rows_with_verb_root").asLong();
        for (JsonNode pair : json.get("pairs")) {
            counts.pairs.merge(new VerbNoun(pair.get("verb").asText(), pair.get("noun").asText()), pair.get("count").asLong(), Long::sum);
        }
        return counts;
    }

    /** Counts one row's result. */
    public void add(Optional<VerbNoun> result) {
        rows++;
        result.ifPresent(found -> {
            verbRoots++;
            if (found.hasNoun()) {
                pairs.merge(found, 1L, Long::sum);
            }
        });
    }

    /** Adds another part's counts to these. */
    public void add(VerbNounCounts other) {
        rows += other.rows;
        verbRoots += other.verbRoots;
        other.pairs.forEach((pair, count) -> pairs.merge(pair, count, Long::sum));
    }

    public long rows() {
        return rows;
    }

    /** Rows whose first sentence has a verb as dependency root. */
    public long verbRoots() {
        return verbRoots;
    }

    /** Rows that yielded a complete (verb, noun) pair. */
    public long pairRows() {
        return pairs.values().stream().mapToLong(Long::longValue).sum();
    }

    public int uniquePairs() {
        return pairs.size();
    }

    public long uniqueVerbs() {
        return pairs.keySet().stream().map(VerbNoun::verb).distinct().count();
    }

    public long count(String verb, String noun) {
        return pairs.getOrDefault(new VerbNoun(verb, noun), 0L);
    }

    /** All pairs, most frequent first. */
    public List<PairCount> pairs() {
        List<PairCount> all = new ArrayList<>(pairs.size());
        pairs.forEach((pair, count) -> all.add(new PairCount(pair.verb(), pair.noun(), count)));
        all.sort(MOST_FREQUENT);
        return all;
    }

    public List<PairCount> top(int n) {
        List<PairCount> all = pairs();
        return all.subList(0, Math.min(n, all.size()));
    }

    /** The paper's sunburst data (see {@link #SUNBURST_VERBS}). */
    public List<VerbSlice> sunburst() {
        return sunburst(SUNBURST_VERBS, SUNBURST_NOUNS_PER_VERB, SUNBURST_MIN_COUNT_EXCLUSIVE);
    }

    /**
     * The {@code verbs} verbs with most pairs, each with its {@code nounsPerVerb} most frequent nouns, keeping only
     * pairs counted more than {@code minCountExclusive} times; verbs left without nouns are dropped.
     */
    public List<VerbSlice> sunburst(int verbs, int nounsPerVerb, long minCountExclusive) {
        Map<String, List<PairCount>> byVerb = new HashMap<>();
        for (PairCount pair : pairs()) {
            byVerb.computeIfAbsent(pair.verb(), v -> new ArrayList<>()).add(pair);
        }
        Comparator<Map.Entry<String, List<PairCount>>> mostPairs = Comparator.comparingLong(
                (Map.Entry<String, List<PairCount>> e) -> e.getValue().stream().mapToLong(PairCount::count).sum())
                .reversed().thenComparing(Map.Entry::getKey);
        List<VerbSlice> slices = new ArrayList<>();
        byVerb.entrySet().stream().sorted(mostPairs).limit(verbs).forEach(entry -> {
            List<PairCount> shown = entry.getValue().stream().limit(nounsPerVerb)
                    .filter(pair -> pair.count() > minCountExclusive).toList();
            if (!shown.isEmpty()) {
                slices.add(new VerbSlice(entry.getKey(), shown));
            }
        });
        slices.sort(Comparator.comparingLong(VerbSlice::count).reversed().thenComparing(VerbSlice::verb));
        return slices;
    }

    /** The counts as JSON: totals, the top {@code top} pairs, the sunburst and every pair. */
    public ObjectNode toJson(int top) {
        ObjectNode json = Json.object();
        json.put("rows", rows).put("rows_with_verb_root", verbRoots).put("rows_with_pair", pairRows())
                .put("unique_pairs", uniquePairs()).put("unique_verbs", uniqueVerbs());
        pairsJson(json.putArray("top_pairs"), top(top));
        ArrayNode sunburst = json.putArray("sunburst");
        for (VerbSlice slice : sunburst()) {
            ObjectNode verb = sunburst.addObject().put("verb", slice.verb()).put("count", slice.count());
            ArrayNode nouns = verb.putArray("nouns");
            slice.nouns().forEach(n -> nouns.addObject().put("noun", n.noun()).put("count", n.count()));
        }
        pairsJson(json.putArray("pairs"), pairs());
        return json;
    }

    private static void pairsJson(ArrayNode target, List<PairCount> pairs) {
        pairs.forEach(p -> target.addObject().put("verb", p.verb()).put("noun", p.noun()).put("count", p.count()));
    }
}
