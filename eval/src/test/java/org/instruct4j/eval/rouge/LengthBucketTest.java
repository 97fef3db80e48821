package org.instruct4j.eval.rouge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LengthBucketTest {

    @Test
    void bucketsAreThePapersDisjointWordRanges() {
        assertThat(LengthBucket.of(0)).isEqualTo(LengthBucket.WORDS_0_TO_2);
        assertThat(LengthBucket.of(2)).isEqualTo(LengthBucket.WORDS_0_TO_2);
        assertThat(LengthBucket.of(3)).isEqualTo(LengthBucket.WORDS_3_TO_5);
        assertThat(LengthBucket.of(5)).isEqualTo(LengthBucket.WORDS_3_TO_5);
        assertThat(LengthBucket.of(6)).isEqualTo(LengthBucket.WORDS_6_TO_10);
        assertThat(LengthBucket.of(10)).isEqualTo(LengthBucket.WORDS_6_TO_10);
        assertThat(LengthBucket.of(11)).isEqualTo(LengthBucket.MORE_THAN_10);
        assertThat(LengthBucket.of(5000)).isEqualTo(LengthBucket.MORE_THAN_10);
    }

    @Test
    void labelsAreThoseOfTheReleasedResultFiles() {
        assertThat(LengthBucket.values()).extracting(LengthBucket::label).containsExactly("0-2", "3-5", "6-10", "10-");
    }

    /** Python's len(text.split()): any run of whitespace separates, punctuation does not. */
    @Test
    void wordsAreCountedAsPythonSplitsThem() {
        assertThat(LengthBucket.words("")).isZero();
        assertThat(LengthBucket.words(" \n\t ")).isZero();
        assertThat(LengthBucket.words("world\nHello")).isEqualTo(2);
        assertThat(LengthBucket.words("Goldilocks - Dynamic\nThree Bears - Static")).isEqualTo(7);
        assertThat(LengthBucket.words("['big', 'small']")).isEqualTo(2);
        // U+00A0 and U+3000 are whitespace to Python's str.split(), not to Java's Character.isWhitespace.
        assertThat(LengthBucket.words("a\u00a0b\u3000c\u2007d")).isEqualTo(4);
        assertThat(LengthBucket.words("保持健康的三个提示。")).isEqualTo(1);
    }
}
