package org.instruct4j.metrics.rouge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PorterStemmerTest {
    private final PorterStemmer stemmer = new PorterStemmer();

    /** Expected values printed by NLTK 3.8's PorterStemmer() (Debian python3-nltk). */
    @ParameterizedTest
    @CsvSource({
        "caresses,caress", "ponies,poni", "ties,tie", "dies,die", "flies,fli", "spied,spi", "died,die",
        "agreed,agre", "feed,feed", "plastered,plaster", "motoring,motor", "sing,sing", "conflated,conflat",
        "hopping,hop", "falling,fall", "hissing,hiss", "filing,file", "failing,fail", "happy,happi",
        "enjoy,enjoy", "sky,sky", "skies,sky", "dying,die", "news,news", "relational,relat",
        "conditional,condit", "generalization,gener", "generously,gener", "hopefulness,hope",
        "electrical,electr", "adjustment,adjust", "adoption,adopt", "controlling,control", "rate,rate",
        "cease,ceas", "geology,geolog", "radically,radic", "fully,fulli", "innings,inning", "proceed,proceed",
        "succeeded,succeed", "xyz,xyz", "aed,a", "oed,o", "a,a", "is,is", "bye,bye", "ied,i", "abcied,abci",
        "hyyyy,hyyyy", "yyyy,yyyi", "2023s,2023", "mp3s,mp3"
    })
    void stemsLikeNltk(String word, String stem) {
        assertThat(stemmer.stem(word)).isEqualTo(stem);
    }

    /** Every distinct word longer than 3 characters of the real data, stemmed by NLTK (make_fixtures.py). */
    @Test
    void equalsNltkOnEveryWordOfTheRealData() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int words = 0;
        try (InputStream in = getClass().getResourceAsStream("porter_stems.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split("\t");
                words++;
                String actual = stemmer.stem(fields[0]);
                if (!actual.equals(fields[1])) {
                    mismatches.add(fields[0] + ": nltk " + fields[1] + ", ours " + actual);
                }
            }
        }
        assertThat(words).isGreaterThan(17_000);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void cachedStemsEqualDirectOnes() {
        for (String word : List.of("running", "generalization", "happy", "running")) {
            assertThat(StemCache.SHARED.stem(word)).isEqualTo(stemmer.stem(word));
        }
    }
}
