package org.instruct4j.metrics.rouge;

import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** How a text becomes ROUGE tokens. Both tokenizers are stateless and thread-safe. */
public enum RougeTokenizer {

    /**
     * rouge-score's DefaultTokenizer: Python's {@code text.lower()}, every run of characters outside
     * {@code [a-z0-9]} becomes a space, split on whitespace. Any other script yields no tokens, so Chinese scores
     * 0 here, exactly as in rouge-score.
     */
    DEFAULT {
        @Override
        void split(String text, Consumer<String> words) {
            StringBuilder word = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    word.append(c);
                } else if (c >= 'A' && c <= 'Z') {
                    word.append((char) (c + ('a' - 'A')));
                } else if (c == KELVIN_SIGN) {
                    word.append('k');
                } else if (c == CAPITAL_I_WITH_DOT_ABOVE) {
                    // Python lower-cases it to 'i' plus a combining dot, and the dot ends the word.
                    word.append('i');
                    flush(word, words);
                } else {
                    flush(word, words);
                }
            }
            flush(word, words);
        }
    },

    /**
     * For any language: lower-cased (Unicode rules), every CJK ideograph, kana and Hangul character is a token of
     * its own, and every run of other letters and digits of any script (with the combining marks that follow
     * them) is a token. On ASCII text it gives the same tokens as {@link #DEFAULT}.
     */
    UNICODE {
        @Override
        void split(String text, Consumer<String> words) {
            String lower = text.toLowerCase(Locale.ROOT);
            StringBuilder word = new StringBuilder();
            for (int i = 0; i < lower.length(); ) {
                int cp = lower.codePointAt(i);
                i += Character.charCount(cp);
                if (isSingleCharacterWord(cp)) {
                    flush(word, words);
                    words.accept(Character.toString(cp));
                } else if (Character.isLetterOrDigit(cp) || (!word.isEmpty() && isCombiningMark(cp))) {
                    word.appendCodePoint(cp);
                } else {
                    flush(word, words);
                }
            }
            flush(word, words);
        }
    };

    /** U+212A lower-cases to ASCII 'k' in Python, so rouge-score keeps it. */
    private static final char KELVIN_SIGN = '\u212A';
    /** U+0130 lower-cases to "i\u0307" in Python: an 'i' that ends the word. */
    private static final char CAPITAL_I_WITH_DOT_ABOVE = '\u0130';
    /** Below U+1100 (Hangul Jamo) there are no CJK characters; this spares ASCII a script lookup. */
    private static final int FIRST_HANGUL_JAMO = 0x1100;
    /** Katakana-Hiragana prolonged sound mark: script Common, but it belongs with the kana. */
    private static final int PROLONGED_SOUND_MARK = 0x30FC;

    /**
     * The tokens of {@code text}. With {@code stemming}, tokens longer than 3 characters made only of
     * {@code [a-z0-9]} are replaced by their Porter stem (NLTK's), as rouge-score does with
     * {@code use_stemmer=True}.
     */
    public List<String> tokenize(String text, boolean stemming) {
        List<String> tokens = new ArrayList<>();
        split(text, word -> tokens.add(stemming && word.length() > 3 && isAsciiWord(word)
                ? StemCache.SHARED.stem(word)
                : word));
        return tokens;
    }

    abstract void split(String text, Consumer<String> words);

    private static void flush(StringBuilder word, Consumer<String> words) {
        if (!word.isEmpty()) {
            words.accept(word.toString());
            word.setLength(0);
        }
    }

    private static boolean isAsciiWord(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSingleCharacterWord(int cp) {
        if (cp < FIRST_HANGUL_JAMO) {
            return false;
        }
        if (Character.isIdeographic(cp) || cp == PROLONGED_SOUND_MARK) {
            return true;
        }
        UnicodeScript script = UnicodeScript.of(cp);
        return (script == UnicodeScript.HIRAGANA || script == UnicodeScript.KATAKANA || script == UnicodeScript.HANGUL)
                && Character.isLetter(cp);
    }

    private static boolean isCombiningMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
