package org.instruct4j.eval.rouge;

/**
 * GPT-4-LLM's buckets of ground-truth length in words for the ROUGE-L evaluation on Unnatural Instructions:
 * 0-2 (5,089 of its 9,000 rows), 3-5 (868), 6-10 (936) and more than 10 (2,107). The four counts add up to 9,000,
 * so the buckets are disjoint integer ranges. Labels are those of the released result files
 * ({@code gpt4_unnatural_instruction_results_h9000_len{0-2,3-5,6-10,10-}.json}); the "ALL" row is separate.
 */
public enum LengthBucket {
    WORDS_0_TO_2("0-2", 0, 2),
    WORDS_3_TO_5("3-5", 3, 5),
    WORDS_6_TO_10("6-10", 6, 10),
    MORE_THAN_10("10-", 11, Integer.MAX_VALUE);

    /** The label of the row over every bucket. */
    public static final String ALL = "ALL";

    private final String label;
    private final int minWords;
    private final int maxWords;

    LengthBucket(String label, int minWords, int maxWords) {
        this.label = label;
        this.minWords = minWords;
        this.maxWords = maxWords;
    }

    public String label() {
        return label;
    }

    public static LengthBucket of(int words) {
        for (LengthBucket bucket : values()) {
            if (words >= bucket.minWords && words <= bucket.maxWords) {
                return bucket;
            }
        }
        throw new IllegalArgumentException("negative word count " + words);
    }

    /**
     * Words as Python's {@code len(text.split())} counts them: runs of anything but whitespace, with Python's
     * whitespace (which, unlike Java's, includes no-break spaces).
     */
    public static int words(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = isPythonWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }

    private static boolean isPythonWhitespace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
