package org.instruct4j.metrics.rouge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitParallelLcsTest {

    @Test
    void knownLengths() {
        // rouge_scorer_test.py testLcsTable
        assertThat(BitParallelLcs.length(new int[] {1, 2, 3, 4, 5}, new int[] {2, 5, 3, 4}, 6)).isEqualTo(3);
        assertThat(BitParallelLcs.length(new int[] {1, 2, 3, 4, 5}, new int[] {8, 9}, 10)).isZero();
        assertThat(BitParallelLcs.length(new int[0], new int[] {1}, 2)).isZero();
        assertThat(BitParallelLcs.length(new int[] {0, 0, 0}, new int[] {0, 0}, 1)).isEqualTo(2);
    }

    @Test
    void patternSymbolsAbsentFromTheAlphabetMatchNothing() {
        assertThat(new BitParallelLcs(new int[] {-1, 3, -1, 4}, 5).lcsWith(new int[] {3, 0, 4})).isEqualTo(2);
    }

    /** Against the plain O(n*m) table on random sequences across the single/multi-word boundaries. */
    @Test
    void equalsTheDynamicProgrammingTable() {
        Random random = new Random(20240229);
        int[] lengths = {0, 1, 2, 7, 31, 63, 64, 65, 100, 127, 128, 129, 191, 192, 193, 300};
        for (int alphabet : new int[] {2, 4, 26, 200}) {
            for (int n : lengths) {
                for (int m : lengths) {
                    int[] a = random(random, n, alphabet);
                    int[] b = random(random, m, alphabet);
                    int expected = tableLcs(a, b);
                    assertThat(new BitParallelLcs(a, alphabet).lcsWith(b)).as("n=%d m=%d k=%d", n, m, alphabet)
                            .isEqualTo(expected);
                    assertThat(new BitParallelLcs(b, alphabet).lcsWith(a)).isEqualTo(expected);
                }
            }
        }
    }

    private static int[] random(Random random, int length, int alphabet) {
        int[] symbols = new int[length];
        for (int i = 0; i < length; i++) {
            symbols[i] = random.nextInt(alphabet);
        }
        return symbols;
    }

    private static int tableLcs(int[] a, int[] b) {
        int[][] t = new int[a.length + 1][b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t[a.length][b.length];
    }
}
