package org.instruct4j.analysis.verbs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerbNounCountsTest {
    private static void add(VerbNounCounts counts, String verb, String noun, int times) {
        for (int i = 0; i < times; i++) {
            counts.add(Optional.of(new VerbNoun(verb, noun)));
        }
    }

    @Test
    void countsRowsVerbRootsAndPairs() {
        VerbNounCounts counts = VerbNounCounts.of(List.of(Optional.of(new VerbNoun("write", "poem")),
                Optional.of(new VerbNoun("write", "poem")), Optional.of(new VerbNoun("explain", null)),
                Optional.empty(), Optional.of(new VerbNoun("give", "tip"))));
        assertThat(counts.rows()).isEqualTo(5);
        assertThat(counts.verbRoots()).isEqualTo(4);
        assertThat(counts.pairRows()).isEqualTo(3);
        assertThat(counts.uniquePairs()).isEqualTo(2);
        assertThat(counts.uniqueVerbs()).isEqualTo(2);
        assertThat(counts.top(1)).containsExactly(new VerbNounCounts.PairCount("write", "poem", 2));
    }

    @Test
    void jsonReadsBackToTheSameCounts() {
        VerbNounCounts counts = new VerbNounCounts();
        add(counts, "write", "poem", 3);
        add(counts, "give", "tip", 1);
        counts.add(Optional.of(new VerbNoun("explain", null)));
        counts.add(Optional.empty());
        VerbNounCounts read = VerbNounCounts.fromJson(counts.toJson(1));
        assertThat(read.toJson(5)).isEqualTo(counts.toJson(5));
        assertThat(read.rows()).isEqualTo(6);
        assertThat(read.verbRoots()).isEqualTo(5);
    }

    @Test
    void tiesAreOrderedAlphabetically() {
        VerbNounCounts counts = new VerbNounCounts();
        add(counts, "write", "story", 3);
        add(counts, "give", "tip", 3);
        add(counts, "give", "example", 3);
        assertThat(counts.pairs()).extracting(p -> p.verb() + " " + p.noun())
                .containsExactly("give example", "give tip", "write story");
    }

    @Test
    void sunburstKeepsTopFourNounsOfTopTwentyVerbsSeenMoreThanTenTimes() {
        VerbNounCounts counts = new VerbNounCounts();
        add(counts, "write", "story", 30);
        add(counts, "write", "poem", 20);
        add(counts, "write", "letter", 12);
        add(counts, "write", "essay", 11);
        add(counts, "write", "song", 11); // fifth noun: not shown
        add(counts, "give", "tip", 15);
        add(counts, "give", "advice", 10); // not more than 10: not shown
        // a frequent verb whose nouns are all rare takes a top-20 place but shows nothing (as in the paper's notebook)
        for (int i = 0; i < 12; i++) {
            add(counts, "use", "thing" + i, 5);
        }
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            String verb = "verb" + (char) ('a' + i);
            others.add(verb);
            add(counts, verb, "noun", 20 + i);
        }

        List<VerbNounCounts.VerbSlice> slices = counts.sunburst();

        assertThat(slices).extracting(VerbNounCounts.VerbSlice::verb).doesNotContain("use", "verba", "verbb")
                .contains("write", "give", "verbc", "verbs").hasSize(19);
        VerbNounCounts.VerbSlice write = slices.stream().filter(s -> s.verb().equals("write")).findFirst().orElseThrow();
        assertThat(write.nouns()).extracting(VerbNounCounts.PairCount::noun).containsExactly("story", "poem", "letter", "essay");
        assertThat(write.count()).isEqualTo(73);
        assertThat(slices.get(0).verb()).isEqualTo("write");
        VerbNounCounts.VerbSlice give = slices.stream().filter(s -> s.verb().equals("give")).findFirst().orElseThrow();
        assertThat(give.nouns()).extracting(VerbNounCounts.PairCount::noun).containsExactly("tip");
    }

    @Test
    void partsAddUp() {
        VerbNounCounts a = new VerbNounCounts();
        add(a, "write", "poem", 2);
        a.add(Optional.empty());
        VerbNounCounts b = new VerbNounCounts();
        add(b, "write", "poem", 1);
        b.add(Optional.of(new VerbNoun("explain", null)));
        a.add(b);
        assertThat(a.rows()).isEqualTo(5);
        assertThat(a.verbRoots()).isEqualTo(4);
        assertThat(a.count("write", "poem")).isEqualTo(3);
    }

    @Test
    void jsonHoldsTotalsTopPairsSunburstAndEveryPair() {
        VerbNounCounts counts = new VerbNounCounts();
        add(counts, "write", "story", 12);
        add(counts, "give", "tip", 2);
        var json = counts.toJson(1);
        assertThat(json.get("rows").asLong()).isEqualTo(14);
        assertThat(json.get("unique_pairs").asInt()).isEqualTo(2);
        assertThat(json.get("top_pairs")).hasSize(1);
        assertThat(json.at("/sunburst/0/verb").asText()).isEqualTo("write");
        assertThat(json.at("/sunburst/0/nouns/0/count").asLong()).isEqualTo(12);
        assertThat(json.at("/pairs/1/noun").asText()).isEqualTo("tip");
    }
}
