package org.instruct4j.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every matrix format's products against a double-precision scalar reference, for one input and several, on rows
 * whose width ends in a partial vector; on this machine's vectors and, in a separate JVM, on the narrower ones other
 * machines have (AVX2's 256 bits, and 128), where the species are picked at start-up.
 */
class KernelsTest {

    @ParameterizedTest(name = "{0}-bit vectors")
    @ValueSource(ints = {0, 256, 128})
    void productsMatchAScalarReferenceAtEveryVectorWidth(int bits) throws Exception {
        if (bits == 0) {
            assertThat(check()).isEmpty();
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
                "-Dinstruct4j.vectorBits=" + bits));
        if (bits == 256) {
            command.add("-XX:UseAVX=2"); // as on an AVX2-only machine
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelsTest.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains("vectors of " + bits + " bits");
    }

    /** Run in the separate JVM: exits 1 with the mismatches printed. */
    public static void main(String[] args) {
        System.out.println("vectors of " + VectorMath.F.vectorBitSize() + " bits");
        List<String> problems = check();
        problems.forEach(System.out::println);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** The mismatches of every format, for 1, 5 and 9 inputs; empty when all agree. */
    static List<String> check() {
        List<String> problems = new ArrayList<>();
        Random random = new Random(5);
        try (Arena arena = Arena.ofConfined()) {
            int rows = 11;
            for (int cols : new int[] {64, 172}) {
                float[] weights = new float[rows * cols];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = (float) random.nextGaussian();
                }
                F32Matrix f32 = new F32Matrix(rows, cols, segment(arena, weights));
                List<Matrix> matrices = new ArrayList<>(List.of(f32, toBf16(f32, arena)));
                if (cols % 32 == 0) {
                    matrices.add(Q8Matrix.quantize(f32));
                    matrices.add(Q4Matrix.quantize(f32));
                }
                for (Matrix m : matrices) {
                    for (int n : new int[] {1, 2, 5, 7, 9, 16}) {
                        compare(m, n, random, problems);
                    }
                }
            }
            // several fp32 panels, the last one partly filled, and batches covering every tile and remainder
            int bigRows = 236, bigCols = 300;
            float[] big = new float[bigRows * bigCols];
            for (int i = 0; i < big.length; i++) {
                big[i] = (float) random.nextGaussian();
            }
            F32Matrix panels = new F32Matrix(bigRows, bigCols, segment(arena, big));
            if (bigRows % F32Matrix.PANEL == 0 || bigRows < 3 * F32Matrix.PANEL) {
                problems.add("the large matrix of the check does not end in a partial panel");
            }
            for (int n : new int[] {1, 3, 6, 13, 16}) {
                compare(panels, n, random, problems);
            }
        }
        checkArgmax(random, problems);
        return problems;
    }

    /**
     * {@link VectorMath#argmax} against the scalar loop it replaces (the first strict maximum), on lengths around the
     * vector widths and a vocabulary's, with ties, -0 and +0, infinities and NaNs among the values.
     */
    private static void checkArgmax(Random random, List<String> problems) {
        float[] specials = {0f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 3f, -3f};
        for (int length : new int[] {1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 64, 100, 32_000}) {
            for (int trial = 0; trial < 40; trial++) {
                float[] a = new float[length];
                for (int i = 0; i < length; i++) {
                    // few distinct values, so ties are common; some arrays with specials, some without
                    a[i] = trial % 4 == 0 && random.nextInt(8) == 0 ? specials[random.nextInt(specials.length)]
                            : random.nextInt(trial % 2 == 0 ? 5 : 1_000_000) - 2f;
                }
                int best = 0;
                for (int i = 1; i < length; i++) {
                    if (a[i] > a[best]) {
                        best = i;
                    }
                }
                int got = VectorMath.argmax(a, length);
                if (got != best) {
                    problems.add("argmax of " + length + " values (trial " + trial + ") gives " + got + " (" + a[got]
                            + "), the first largest is " + best + " (" + a[best] + ")");
                }
            }
        }
    }

    private static void compare(Matrix m, int n, Random random, List<String> problems) {
        float[] x = new float[n * m.cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] out = new float[n * m.rows];
        m.multiply(x, 0, m.cols, n, out, 0, m.rows, 0, m.rows, new float[Matrix.scratchFloats(m.cols)]);
        float[] row = new float[m.cols];
        for (int r = 0; r < m.rows; r++) {
            m.dequantizeRow(r, row, 0);
            for (int t = 0; t < n; t++) {
                double expected = 0;
                for (int c = 0; c < m.cols; c++) {
                    expected += (double) row[c] * x[t * m.cols + c];
                }
                if (Math.abs(out[t * m.rows + r] - expected) > 1e-4 * Math.max(1, Math.abs(expected))) {
                    problems.add(m.format() + " " + m.rows + "x" + m.cols + ", " + n + " inputs: row " + r + " input " + t
                            + " gives " + out[t * m.rows + r] + ", expected " + expected);
                }
            }
        }
        if (n > 1) {
            float[] alone = new float[m.rows];
            for (int t = 0; t < n; t++) {
                m.multiply(x, t * m.cols, m.cols, 1, alone, 0, m.rows, 0, m.rows, new float[Matrix.scratchFloats(m.cols)]);
                for (int r = 0; r < m.rows; r++) {
                    if (Float.compare(alone[r], out[t * m.rows + r]) != 0) {
                        problems.add(m.format() + " " + m.rows + "x" + m.cols + ": input " + t + " of " + n
                                + " alone gives " + alone[r] + " for row " + r + ", with others " + out[t * m.rows + r]);
                    }
                }
            }
            // rows [3, 10) only, as a thread's unit: a tile that does not fit is computed again over its last rows
            float[] part = new float[n * m.rows];
            m.multiply(x, 0, m.cols, n, part, 0, m.rows, 3, 10, new float[Matrix.scratchFloats(m.cols)]);
            for (int t = 0; t < n; t++) {
                for (int r = 0; r < m.rows; r++) {
                    boolean inside = r >= 3 && r < 10;
                    if (inside ? Float.compare(part[t * m.rows + r], out[t * m.rows + r]) != 0 : part[t * m.rows + r] != 0) {
                        problems.add(m.format() + " " + m.rows + "x" + m.cols + ": rows [3, 10) of " + n + " inputs, row "
                                + r + " input " + t + " gives " + part[t * m.rows + r]);
                    }
                }
            }
        }
    }

    private static MemorySegment segment(Arena arena, float[] values) {
        MemorySegment segment = arena.allocate((long) values.length * Float.BYTES);
        for (int i = 0; i < values.length; i++) {
            segment.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), (long) i * Float.BYTES, values[i]);
        }
        return segment;
    }

    private static Bf16Matrix toBf16(F32Matrix source, Arena arena) {
        MemorySegment data = arena.allocate((long) source.rows * source.cols * 2);
        float[] row = new float[source.cols];
        for (int r = 0; r < source.rows; r++) {
            source.dequantizeRow(r, row, 0);
            for (int c = 0; c < source.cols; c++) {
                data.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                        ((long) r * source.cols + c) * 2, Bf16.fromFloat(row[c]));
            }
        }
        return new Bf16Matrix(source.rows, source.cols, data);
    }
}
