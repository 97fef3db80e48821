package org.instruct4j.analysis.lengths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;

class LengthStatsTest {
    @Test
    void wordsAreRunsOfNonWhitespaceLikePythonSplit() {
        assertThat(LengthStats.words("")).isZero();
        assertThat(LengthStats.words("  \n\t")).isZero();
        assertThat(LengthStats.words("one")).isEqualTo(1);
        assertThat(LengthStats.words(" 1. Eat well.\n2. Sleep\t\tenough ")).isEqualTo(6);
        assertThat(LengthStats.words("a\u00a0b\u2003c")).isEqualTo(3); // no-break and em spaces split in Python too
        assertThat(LengthStats.words("naïve café 😀")).isEqualTo(3);
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        LengthStats stats = LengthStats.of("x", List.of("a", "a b", "a b c", "a b c d"));
        assertThat(stats.mean()).isEqualTo(2.5);
        assertThat(stats.p25()).isEqualTo(1.75);
        assertThat(stats.median()).isEqualTo(2.5);
        assertThat(stats.p90()).isCloseTo(3.7, within(1e-12));
        assertThat(stats.min()).isEqualTo(1);
        assertThat(stats.max()).isEqualTo(4);
        assertThat(stats.atLeast(3)).isEqualTo(2);
        assertThat(LengthStats.of("empty", List.of()).mean()).isNaN();
    }

    @Test
    void alpacaSubsetMatchesPython() {
        // python: [len(r["output"].split()) for r in json.load(open(...))] -> mean 45.1714, median 32.0, max 471
        DatasetTexts alpaca = DatasetTexts.read(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), null, null);
        LengthStats stats = LengthStats.of(alpaca.name(), alpaca.texts());
        assertThat(stats.rows()).isEqualTo(5000);
        assertThat(stats.mean()).isCloseTo(45.1714, within(1e-9));
        assertThat(stats.median()).isEqualTo(32.0);
        assertThat(stats.max()).isEqualTo(471);
        assertThat(stats.atLeast(512)).isZero();
    }
}
