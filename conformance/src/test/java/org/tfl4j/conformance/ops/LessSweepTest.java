package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * LESS against TFLite: float32, int32 and int64; same shapes (rank 0 to 5) and numpy broadcasting up to rank 4 on
 * either side, scalars included (a WHILE cond's {@code time < steps}); -0 against +0 (not less), NaN (never less,
 * never greater), subnormals (TFLite compares under DAZ: equal to zero and to each other), ±Inf, and integers that
 * differ only in their sign or high bits.
 */
class LessSweepTest {

    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64};

    static List<OpCase> cases() {
        Random random = new Random(58);
        List<OpCase> cases = new ArrayList<>();
        int[][][] pairs = {
                {{}, {}}, {{1}, {1}}, {{7}, {7}}, {{2, 3}, {2, 3}}, {{2, 3, 4}, {2, 3, 4}}, {{2, 1, 3, 2}, {2, 1, 3, 2}},
                {{2, 2, 1, 2, 3}, {2, 2, 1, 2, 3}},
                {{5}, {}}, {{}, {5}}, {{5}, {1}}, {{1}, {6}}, {{2, 3}, {3}}, {{3}, {2, 3}}, {{2, 3}, {2, 1}},
                {{1, 3}, {2, 1}}, {{2, 1, 4}, {3, 1}}, {{2, 3, 4}, {1}}, {{4, 1, 3, 1}, {2, 1, 5}},
                {{1, 2, 1, 3}, {2, 2, 4, 1}}, {{2, 3, 4, 5}, {5}}, {{1}, {2, 2, 2, 2}},
        };
        for (int[][] pair : pairs) {
            for (TensorType type : TYPES) cases.add(less(random, type, pair[0], pair[1]));
        }
        for (TensorType type : TYPES) {
            for (int n : new int[] {1, 4, 9, 33}) cases.add(pooled(random, type, n));
        }
        cases.addAll(floatSpecials());
        int[] ia = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 24, (1 << 24) + 1, 7, Integer.MIN_VALUE};
        int[] ib = {-0, 1, 1, Integer.MAX_VALUE, Integer.MAX_VALUE, (1 << 24) + 1, (1 << 24), -7, 0};
        cases.add(lessOf("int32 extremes", TensorType.INT32, new int[] {9}, new int[] {9}, ia, ib));
        cases.add(lessOf("int32 extremes, reversed", TensorType.INT32, new int[] {9}, new int[] {9}, ib, ia));
        long[] la = {0L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, (1L << 53) + 1, -1L, 5L, 1L << 40, -(1L << 40)};
        long[] lb = {0L, Long.MAX_VALUE, Long.MIN_VALUE, 0L, 1L << 53, 0xffffffffL, 5L + (1L << 32), 0L, 1L};
        cases.add(lessOf("int64 high bits", TensorType.INT64, new int[] {9}, new int[] {9}, la, lb));
        cases.add(lessOf("int64 high bits, reversed", TensorType.INT64, new int[] {9}, new int[] {9}, lb, la));
        return cases;
    }

    /** Every ordered pair of the float specials: ±0, subnormals, NaN, ±Inf, neighbours. */
    private static List<OpCase> floatSpecials() {
        float[] s = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0x1.fffffcp-127f, 1e-40f, -1e-40f, Float.MIN_NORMAL,
                -Float.MIN_NORMAL, 1f, -1f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000), 1.0000001f, 0.99999994f};
        int n = s.length;
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = s[i];
                b[i * n + j] = s[j];
            }
        }
        List<OpCase> cases = new ArrayList<>();
        cases.add(lessOf("float32 specials, all pairs", TensorType.FLOAT32, new int[] {n * n}, new int[] {n * n}, a, b));
        cases.add(lessOf("float32 specials, [n,1] vs [n]", TensorType.FLOAT32, new int[] {n, 1}, new int[] {n}, s, s));
        cases.add(lessOf("float32 specials vs scalar NaN", TensorType.FLOAT32, new int[] {n}, new int[] {}, s,
                new float[] {Float.NaN}));
        cases.add(lessOf("scalar -0 vs float32 specials", TensorType.FLOAT32, new int[] {}, new int[] {n},
                new float[] {-0f}, s));
        cases.add(lessOf("float32 specials vs scalar subnormal", TensorType.FLOAT32, new int[] {n}, new int[] {1}, s,
                new float[] {Float.MIN_VALUE}));
        return cases;
    }

    private static OpCase less(Random random, TensorType type, int[] sa, int[] sb) {
        return lessOf(type + " " + Arrays.toString(sa) + " vs " + Arrays.toString(sb), type, sa, sb,
                SweepValues.ofType(random, type, SweepValues.count(sa)), SweepValues.ofType(random, type, SweepValues.count(sb)));
    }

    /** Values from a small pool so that equal pairs (neither less) are frequent. */
    private static OpCase pooled(Random random, TensorType type, int n) {
        Object a;
        Object b;
        switch (type) {
            case FLOAT32: {
                float[] pool = {0f, -0f, 1f, 1e-40f, -1e-45f, Float.NaN, 2.5f, -2.5f};
                float[] x = new float[n];
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = pool[random.nextInt(pool.length)];
                    y[i] = pool[random.nextInt(pool.length)];
                }
                a = x;
                b = y;
                break;
            }
            case INT32:
                a = SweepValues.ints(random, n, -2, 2);
                b = SweepValues.ints(random, n, -2, 2);
                break;
            default:
                a = Arrays.stream(SweepValues.ints(random, n, -2, 2)).asLongStream().toArray();
                b = Arrays.stream(SweepValues.ints(random, n, -2, 2)).asLongStream().toArray();
        }
        return lessOf(type + " pooled values, n=" + n, type, new int[] {n}, new int[] {n}, a, b);
    }

    static OpCase lessOf(String name, TensorType type, int[] sa, int[] sb, Object a, Object b) {
        return PredicateCases.of(BuiltinOp.LESS, name, type, sa, sb, a, b);
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("LESS", cases());
    }
}
