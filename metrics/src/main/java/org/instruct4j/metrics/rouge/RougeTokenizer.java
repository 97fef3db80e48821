package org.instruct4j.metrics.rouge;

import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How a text becomes ROUGE tokens. Both tokenizers are stateless and thread-safe. */
public enum RougeTokenizer {

    /**
     * rouge-score's DefaultTokenizer: Python's {@code text.lower()}, every run of characters outside
     * {@code [a-z0-9]} becomes a space, split on whitespace. Any other script yields no tokens, so Chinese scores
     * 0 here, exactly as in rouge-score.
     */
    DEFAULT {
        @Override
        void split(String text, TokenSink sink) {
            // Each character maps to at most one, so a token is the same index range in text and lower.
            char[] lower = new char[text.length()];
            int start = 0;
            for (int i = 0; i < lower.length; i++) {
                char c = text.charAt(i);
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    lower[i] = c;
                } else if (c >= 'A' && c <= 'Z') {
                    lower[i] = (char) (c + ('a' - 'A'));
                } else if (c == KELVIN_SIGN) {
                    lower[i] = 'k';
                } else if (c == CAPITAL_I_WITH_DOT_ABOVE) {
                    // Python lower-cases it to 'i' plus a combining dot, and the dot ends the word.
                    lower[i] = 'i';
                    emit(lower, start, i + 1, sink);
                    start = i + 1;
                } else {
                    emit(lower, start, i, sink);
                    start = i + 1;
                }
            }
            emit(lower, start, lower.length, sink);
        }
    },

    /**
     * For any language: lower-cased (Unicode rules), every CJK ideograph, kana and Hangul character is a token of
     * its own, and every run of other letters and digits of any script (with the combining marks that follow
     * them) is a token. On ASCII text it gives the same tokens as {@link #DEFAULT}.
     */
    UNICODE {
        @Override
        void split(String text, TokenSink sink) {
            char[] chars = text.toLowerCase(Locale.ROOT).toCharArray();
            int start = 0;
            for (int i = 0; i < chars.length; ) {
                int cp = Character.codePointAt(chars, i);
                int next = i + Character.charCount(cp);
                if (isSingleCharacterWord(cp)) {
                    emit(chars, start, i, sink);
                    sink.accept(chars, i, next - i);
                    start = next;
                } else if (!Character.isLetterOrDigit(cp) && !(start < i && isCombiningMark(cp))) {
                    emit(chars, start, i, sink);
                    start = next;
                }
                i = next;
            }
            emit(chars, start, chars.length, sink);
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
     * The tokenizer a user names on a command line: {@code default} (rouge-score's) or {@code unicode}, also
     * accepted as {@code cjk} because Chinese, Japanese and Korean text is what it is usually chosen for.
     */
    public static RougeTokenizer named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(unknown(name)));
    }

    /** The tokenizer {@code name} names, if any (for commands that report a bad option themselves). */
    public static java.util.Optional<RougeTokenizer> find(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "default", "rouge-score" -> java.util.Optional.of(DEFAULT);
            case "unicode", "cjk" -> java.util.Optional.of(UNICODE);
            default -> java.util.Optional.empty();
        };
    }

    /** What is wrong with an unknown tokenizer name. */
    public static String unknown(String name) {
        return "unknown tokenizer '" + name + "'; expected default (rouge-score's, ASCII letters and digits only) or cjk (any language)";
    }

    /**
     * The tokens of {@code text}. With {@code stemming}, tokens longer than 3 characters made only of
     * {@code [a-z0-9]} are replaced by their Porter stem (NLTK's), as rouge-score does with
     * {@code use_stemmer=True}.
     */
    public List<String> tokenize(String text, boolean stemming) {
        List<String> tokens = new ArrayList<>();
        split(text, (chars, start, length) -> {
            String word = new String(chars, start, length);
            tokens.add(stems(stemming, chars, start, length) ? StemCache.SHARED.stem(word) : word);
        });
        return tokens;
    }

    /** {@link #tokenize} straight to ids: the scoring hot path, with no String for a token it has seen. */
    int[] ids(String text, boolean stemming, TokenIds ids) {
        IntList result = new IntList();
        split(text, (chars, start, length) -> result.add(stems(stemming, chars, start, length)
                ? ids.idOf(StemCache.SHARED.stem(new String(chars, start, length)))
                : ids.idOf(chars, start, length)));
        return result.toArray();
    }

    /** Calls {@code sink} for each token, in order. */
    abstract void split(String text, TokenSink sink);

    /** Emits chars[start, end) when it is not empty. */
    private static void emit(char[] chars, int start, int end, TokenSink sink) {
        if (end > start) {
            sink.accept(chars, start, end - start);
        }
    }

    private static boolean stems(boolean stemming, char[] chars, int start, int length) {
        if (!stemming || length <= 3) {
            return false;
        }
        for (int i = start; i < start + length; i++) {
            char c = chars[i];
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
