package org.instruct4j.metrics.rouge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RougeTokenizerTest {

    /** Expected tokens printed by rouge-score's tokenize() transcription in make_fixtures.py. */
    @Test
    void defaultTokenizerSplitsLikeRougeScore() {
        assertThat(RougeTokenizer.DEFAULT.tokenize("Hello, World! It's 2023.", false))
                .containsExactly("hello", "world", "it", "s", "2023");
        assertThat(RougeTokenizer.DEFAULT.tokenize("naïve café", false)).containsExactly("na", "ve", "caf");
        assertThat(RougeTokenizer.DEFAULT.tokenize("Straße", false)).containsExactly("stra", "e");
        assertThat(RougeTokenizer.DEFAULT.tokenize("e-mail_address x1y2", false))
                .containsExactly("e", "mail", "address", "x1y2");
        assertThat(RougeTokenizer.DEFAULT.tokenize("\u00bd and \u00b2", false)).containsExactly("and");
        assertThat(RougeTokenizer.DEFAULT.tokenize("", false)).isEmpty();
        assertThat(RougeTokenizer.DEFAULT.tokenize(" \n\t ", false)).isEmpty();
    }

    /** The only two non-ASCII characters whose Python lower() contains [a-z0-9] (checked over all of Unicode). */
    @Test
    void defaultTokenizerFollowsPythonLowerForKelvinAndDottedCapitalI() {
        assertThat(RougeTokenizer.DEFAULT.tokenize("5 \u212Aelvin", false)).containsExactly("5", "kelvin");
        assertThat(RougeTokenizer.DEFAULT.tokenize("\u0130stanbul is big", false))
                .containsExactly("i", "stanbul", "is", "big");
    }

    @Test
    void defaultTokenizerGivesNothingForChinese() {
        assertThat(RougeTokenizer.DEFAULT.tokenize("我爱北京", false)).isEmpty();
    }

    @Test
    void stemmingTouchesOnlyTokensLongerThanThree() {
        assertThat(RougeTokenizer.DEFAULT.tokenize("Running runners ran QUICKLY", true))
                .containsExactly("run", "runner", "ran", "quickli");
        assertThat(RougeTokenizer.DEFAULT.tokenize("dies ties uses", true)).containsExactly("die", "tie", "use");
        // 3 characters: not stemmed although Porter would turn "ies" into "i"
        assertThat(RougeTokenizer.DEFAULT.tokenize("ies", true)).containsExactly("ies");
    }

    @Test
    void unicodeTokenizerSplitsCjkIntoCharactersAndKeepsOtherScriptsAsWords() {
        assertThat(RougeTokenizer.UNICODE.tokenize("我爱北京天安门。", false))
                .containsExactly("我", "爱", "北", "京", "天", "安", "门");
        assertThat(RougeTokenizer.UNICODE.tokenize("コーヒーを飲む", false))
                .containsExactly("コ", "ー", "ヒ", "ー", "を", "飲", "む");
        assertThat(RougeTokenizer.UNICODE.tokenize("한국어 Text", false)).containsExactly("한", "국", "어", "text");
        assertThat(RougeTokenizer.UNICODE.tokenize("Naïve CAFÉ, Straße!", false))
                .containsExactly("naïve", "café", "straße");
        assertThat(RougeTokenizer.UNICODE.tokenize("Привет, мир 2024", false)).containsExactly("привет", "мир", "2024");
        // Devanagari vowel signs are combining marks and stay inside the word
        assertThat(RougeTokenizer.UNICODE.tokenize("नमस्ते दुनिया", false)).containsExactly("नमस्ते", "दुनिया");
        assertThat(RougeTokenizer.UNICODE.tokenize("GPT-4模型", false)).containsExactly("gpt", "4", "模", "型");
    }

    @Test
    void unicodeTokenizerStemsOnlyAsciiWords() {
        assertThat(RougeTokenizer.UNICODE.tokenize("running cafés 跑步", true))
                .containsExactly("run", "cafés", "跑", "步");
    }

    @Test
    void unicodeTokenizerEqualsDefaultOnAsciiText() {
        List<String> texts = SharedTexts.alpacaField("output").stream()
                .filter(text -> text.chars().allMatch(c -> c < 128))
                .toList();
        assertThat(texts).hasSizeGreaterThan(4_000);
        for (String text : texts) {
            assertThat(RougeTokenizer.UNICODE.tokenize(text, true)).isEqualTo(RougeTokenizer.DEFAULT.tokenize(text, true));
        }
    }

    /** The id path the scorer uses numbers tokens by first appearance, sharing ids across texts of one call. */
    @Test
    void idsNumberTheSameTokensByFirstAppearance() {
        for (RougeTokenizer tokenizer : RougeTokenizer.values()) {
            for (boolean stemming : new boolean[] {false, true}) {
                TokenIds ids = new TokenIds();
                Map<String, Integer> expected = new HashMap<>();
                // 300 outputs through one TokenIds: thousands of distinct tokens, so the table rehashes
                for (String text : SharedTexts.alpacaField("output").subList(0, 300)) {
                    int[] expectedIds = tokenizer.tokenize(text, stemming).stream()
                            .mapToInt(token -> expected.computeIfAbsent(token, t -> expected.size())).toArray();
                    assertThat(tokenizer.ids(text, stemming, ids)).containsExactly(expectedIds);
                }
                assertThat(ids.size()).isEqualTo(expected.size()).isGreaterThan(2_000);
            }
        }
    }

    @Test
    void tokenizersAreFoundByTheirCommandLineNames() {
        assertThat(RougeTokenizer.named("default")).isEqualTo(RougeTokenizer.DEFAULT);
        assertThat(RougeTokenizer.named("CJK")).isEqualTo(RougeTokenizer.UNICODE);
        assertThat(RougeTokenizer.named("unicode")).isEqualTo(RougeTokenizer.UNICODE);
        assertThatThrownBy(() -> RougeTokenizer.named("jieba"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'jieba'").hasMessageContaining("cjk");
    }
}
