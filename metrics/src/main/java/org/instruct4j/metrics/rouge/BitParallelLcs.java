package org.instruct4j.metrics.rouge;

import java.util.Arrays;

/**
 * LCS length by the bit-vector algorithm of Allison and Dix (1986) in Hyyrö's form (2004): the pattern's positions
 * are bits, and each symbol of the text updates all of them with a few word operations,
 * {@code V' = (V + (V & M)) | (V & ~M)} where M marks the pattern positions holding that symbol. The LCS length
 * is the number of zero bits of V at the end. That is O(|text| * ceil(|pattern| / 64)) word operations instead
 * of the O(|text| * |pattern|) table.
 *
 * <p>Symbols are ints in {@code [0, alphabetSize)}; negative pattern symbols match nothing. Immutable once built,
 * so one pattern can be matched against many texts from several threads.
 */
final class BitParallelLcs {
    private final int length;
    private final int words;
    /** Mask row of each symbol; row 0 is all zeros and serves every symbol absent from the pattern. */
    private final int[] rowOf;
    private final long[] masks;

    BitParallelLcs(int[] pattern, int alphabetSize) {
        length = pattern.length;
        words = Math.max(1, (length + 63) >>> 6);
        rowOf = new int[alphabetSize];
        int rows = 1;
        for (int symbol : pattern) {
            if (symbol >= 0 && rowOf[symbol] == 0) {
                rowOf[symbol] = rows++;
            }
        }
        masks = new long[rows * words];
        for (int i = 0; i < length; i++) {
            if (pattern[i] >= 0) {
                masks[rowOf[pattern[i]] * words + (i >>> 6)] |= 1L << i;
            }
        }
    }

    /** The LCS length of two id sequences; the shorter one becomes the bit pattern. */
    static int length(int[] a, int[] b, int alphabetSize) {
        return a.length <= b.length
                ? new BitParallelLcs(a, alphabetSize).lcsWith(b)
                : new BitParallelLcs(b, alphabetSize).lcsWith(a);
    }

    /** The LCS length of the pattern and {@code text}, whose symbols must lie in {@code [0, alphabetSize)}. */
    int lcsWith(int[] text) {
        return lcsWith(text, 0, text.length);
    }

    /** The LCS length of the pattern and {@code text[from, to)}. */
    int lcsWith(int[] text, int from, int to) {
        if (length == 0) {
            return 0;
        }
        return words == 1 ? lcsSingleWord(text, from, to) : lcsMultiWord(text, from, to);
    }

    private int lcsSingleWord(int[] text, int from, int to) {
        long v = -1L;
        for (int i = from; i < to; i++) {
            long u = v & masks[rowOf[text[i]]];
            v = (v + u) | (v - u);
        }
        return Long.bitCount(~v & lowBits(length));
    }

    private int lcsMultiWord(int[] text, int from, int to) {
        long[] v = new long[words];
        Arrays.fill(v, -1L);
        for (int i = from; i < to; i++) {
            int row = rowOf[text[i]];
            if (row == 0) {
                continue;
            }
            int base = row * words;
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long vw = v[w];
                long m = masks[base + w];
                long u = vw & m;
                long sum = vw + u + carry;
                // carry out of bit 63 of vw + u + carry
                carry = ((vw & u) | ((vw | u) & ~sum)) >>> 63;
                v[w] = sum | (vw & ~m);
            }
        }
        int lcs = 0;
        for (int w = 0; w < words - 1; w++) {
            lcs += Long.bitCount(~v[w]);
        }
        return lcs + Long.bitCount(~v[words - 1] & lowBits(length - ((words - 1) << 6)));
    }

    /** A mask of the lowest {@code n} bits, 1 <= n <= 64. */
    private static long lowBits(int n) {
        return n == 64 ? -1L : (1L << n) - 1;
    }
}
