package org.instruct4j.metrics.rouge;

import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Porter stemmer exactly as NLTK's {@code nltk.stem.porter.PorterStemmer} in its default mode
 * {@code NLTK_EXTENSIONS}, which is what rouge-score stems with. The structure follows NLTK's step by step
 * (rule lists applied by {@link #applyRuleList}) so that every departure from Porter's paper that NLTK makes
 * is reproduced, including its quirks. Stateless and thread-safe.
 */
public final class PorterStemmer {

    /** NLTK's table of irregular forms, looked up before any rule. */
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("sky", "sky"), Map.entry("skies", "sky"),
            Map.entry("dying", "die"), Map.entry("lying", "lie"), Map.entry("tying", "tie"),
            Map.entry("news", "news"),
            Map.entry("innings", "inning"), Map.entry("inning", "inning"),
            Map.entry("outings", "outing"), Map.entry("outing", "outing"),
            Map.entry("cannings", "canning"), Map.entry("canning", "canning"),
            Map.entry("howe", "howe"),
            Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"), Map.entry("succeed", "succeed"));

    /** NLTK's step-1b marker for "ends in a double consonant". */
    private static final String DOUBLE_CONSONANT = "*d";

    /** A suffix rule: replace {@code suffix} by {@code replacement} when {@code condition} holds for the stem. */
    private record Rule(String suffix, String replacement, Predicate<String> condition) {}

    /** The stem of one word; like NLTK, the word is lower-cased first. */
    public String stem(String word) {
        String stem = word.toLowerCase(Locale.ROOT);
        // NLTK looks the original word up but returns the entry of the lower-cased one.
        if (IRREGULAR.containsKey(word)) {
            return IRREGULAR.get(stem);
        }
        if (word.length() <= 2) {
            return stem;
        }
        stem = step1a(stem);
        stem = step1b(stem);
        stem = step1c(stem);
        stem = step2(stem);
        stem = step3(stem);
        stem = step4(stem);
        stem = step5a(stem);
        return step5b(stem);
    }

    private static boolean isConsonant(String word, int i) {
        char c = word.charAt(i);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
            return false;
        }
        if (c == 'y') {
            return i == 0 || !isConsonant(word, i - 1);
        }
        return true;
    }

    /** Porter's m: the number of vowel-consonant transitions. */
    private static int measure(String stem) {
        int m = 0;
        for (int i = 0; i + 1 < stem.length(); i++) {
            if (!isConsonant(stem, i) && isConsonant(stem, i + 1)) {
                m++;
            }
        }
        return m;
    }

    private static boolean hasPositiveMeasure(String stem) {
        return measure(stem) > 0;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) {
            if (!isConsonant(stem, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsDoubleConsonant(String word) {
        int n = word.length();
        return n >= 2 && word.charAt(n - 1) == word.charAt(n - 2) && isConsonant(word, n - 1);
    }

    /** Porter's *o, with NLTK's extension that a two-letter vowel-consonant word also counts. */
    private static boolean endsCvc(String word) {
        int n = word.length();
        if (n >= 3 && isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1)) {
            char last = word.charAt(n - 1);
            if (last != 'w' && last != 'x' && last != 'y') {
                return true;
            }
        }
        return n == 2 && !isConsonant(word, 0) && isConsonant(word, 1);
    }

    private static String dropSuffix(String word, String suffix) {
        return word.substring(0, word.length() - suffix.length());
    }

    /** The first rule whose suffix matches decides: applied if its condition holds, otherwise nothing changes. */
    private static String applyRuleList(String word, Rule... rules) {
        for (Rule rule : rules) {
            if (rule.suffix().equals(DOUBLE_CONSONANT) && endsDoubleConsonant(word)) {
                String stem = word.substring(0, word.length() - 2);
                return rule.condition() == null || rule.condition().test(stem) ? stem + rule.replacement() : word;
            }
            if (word.endsWith(rule.suffix())) {
                String stem = dropSuffix(word, rule.suffix());
                return rule.condition() == null || rule.condition().test(stem) ? stem + rule.replacement() : word;
            }
        }
        return word;
    }

    private static String step1a(String word) {
        if (word.endsWith("ies") && word.length() == 4) {
            return dropSuffix(word, "ies") + "ie";
        }
        return applyRuleList(word,
                new Rule("sses", "ss", null),
                new Rule("ies", "i", null),
                new Rule("ss", "ss", null),
                new Rule("s", "", null));
    }

    private static String step1b(String word) {
        if (word.endsWith("ied")) {
            return dropSuffix(word, "ied") + (word.length() == 4 ? "ie" : "i");
        }
        if (word.endsWith("eed")) {
            String stem = dropSuffix(word, "eed");
            return measure(stem) > 0 ? stem + "ee" : word;
        }
        String intermediate = null;
        for (String suffix : new String[] {"ed", "ing"}) {
            if (word.endsWith(suffix) && containsVowel(dropSuffix(word, suffix))) {
                intermediate = dropSuffix(word, suffix);
                break;
            }
        }
        if (intermediate == null) {
            return word;
        }
        // The intermediate stem holds a vowel, so it is never empty.
        char last = intermediate.charAt(intermediate.length() - 1);
        return applyRuleList(intermediate,
                new Rule("at", "ate", null),
                new Rule("bl", "ble", null),
                new Rule("iz", "ize", null),
                new Rule(DOUBLE_CONSONANT, String.valueOf(last), stem -> last != 'l' && last != 's' && last != 'z'),
                new Rule("", "e", stem -> measure(stem) == 1 && endsCvc(stem)));
    }

    private static String step1c(String word) {
        return applyRuleList(word,
                new Rule("y", "i", stem -> stem.length() > 1 && isConsonant(stem, stem.length() - 1)));
    }

    private static String step2(String word) {
        if (word.endsWith("alli") && hasPositiveMeasure(dropSuffix(word, "alli"))) {
            return step2(dropSuffix(word, "alli") + "al");
        }
        Predicate<String> positive = PorterStemmer::hasPositiveMeasure;
        return applyRuleList(word,
                new Rule("ational", "ate", positive),
                new Rule("tional", "tion", positive),
                new Rule("enci", "ence", positive),
                new Rule("anci", "ance", positive),
                new Rule("izer", "ize", positive),
                new Rule("bli", "ble", positive),
                new Rule("alli", "al", positive),
                new Rule("entli", "ent", positive),
                new Rule("eli", "e", positive),
                new Rule("ousli", "ous", positive),
                new Rule("ization", "ize", positive),
                new Rule("ation", "ate", positive),
                new Rule("ator", "ate", positive),
                new Rule("alism", "al", positive),
                new Rule("iveness", "ive", positive),
                new Rule("fulness", "ful", positive),
                new Rule("ousness", "ous", positive),
                new Rule("aliti", "al", positive),
                new Rule("iviti", "ive", positive),
                new Rule("biliti", "ble", positive),
                new Rule("fulli", "ful", positive),
                // NLTK keeps the 'l' with the stem so that short stems like 'geo' qualify.
                new Rule("logi", "log", stem -> hasPositiveMeasure(word.substring(0, word.length() - 3))));
    }

    private static String step3(String word) {
        Predicate<String> positive = PorterStemmer::hasPositiveMeasure;
        return applyRuleList(word,
                new Rule("icate", "ic", positive),
                new Rule("ative", "", positive),
                new Rule("alize", "al", positive),
                new Rule("iciti", "ic", positive),
                new Rule("ical", "ic", positive),
                new Rule("ful", "", positive),
                new Rule("ness", "", positive));
    }

    private static String step4(String word) {
        Predicate<String> above1 = stem -> measure(stem) > 1;
        return applyRuleList(word,
                new Rule("al", "", above1),
                new Rule("ance", "", above1),
                new Rule("ence", "", above1),
                new Rule("er", "", above1),
                new Rule("ic", "", above1),
                new Rule("able", "", above1),
                new Rule("ible", "", above1),
                new Rule("ant", "", above1),
                new Rule("ement", "", above1),
                new Rule("ment", "", above1),
                new Rule("ent", "", above1),
                new Rule("ion", "", stem -> measure(stem) > 1
                        && (stem.charAt(stem.length() - 1) == 's' || stem.charAt(stem.length() - 1) == 't')),
                new Rule("ou", "", above1),
                new Rule("ism", "", above1),
                new Rule("ate", "", above1),
                new Rule("iti", "", above1),
                new Rule("ous", "", above1),
                new Rule("ive", "", above1),
                new Rule("ize", "", above1));
    }

    /** Both e-rules are tried here (unlike everywhere else), as in NLTK. */
    private static String step5a(String word) {
        if (word.endsWith("e")) {
            String stem = dropSuffix(word, "e");
            int m = measure(stem);
            if (m > 1 || (m == 1 && !endsCvc(stem))) {
                return stem;
            }
        }
        return word;
    }

    private static String step5b(String word) {
        return applyRuleList(word, new Rule("ll", "l", stem -> measure(word.substring(0, word.length() - 1)) > 1));
    }
}
