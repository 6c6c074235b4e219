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
 * NOT_EQUAL against TFLite: float32, int32, int64 and bool; same shapes (rank 0 to 5) and numpy broadcasting up
 * to rank 4 (TFLite's limit for this op) on either side, scalars included; +0 against -0 (equal), NaN (unequal to
 * everything, itself included), subnormals (TFLite compares under DAZ: equal to zero and to each other), ±Inf,
 * and integers that differ only in high bits.
 */
class NotEqualSweepTest {

    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL};

    static List<OpCase> cases() {
        Random random = new Random(72);
        List<OpCase> cases = new ArrayList<>();
        int[][][] pairs = {
                {{}, {}}, {{1}, {1}}, {{7}, {7}}, {{2, 3}, {2, 3}}, {{2, 3, 4}, {2, 3, 4}}, {{2, 1, 3, 2}, {2, 1, 3, 2}},
                {{2, 2, 1, 2, 3}, {2, 2, 1, 2, 3}},
                {{5}, {}}, {{}, {5}}, {{5}, {1}}, {{1}, {6}}, {{2, 3}, {3}}, {{3}, {2, 3}}, {{2, 3}, {2, 1}},
                {{1, 3}, {2, 1}}, {{2, 1, 4}, {3, 1}}, {{1, 10, 16}, {1, 10, 1}}, {{2, 3, 4}, {1}}, {{4, 1, 3, 1}, {2, 1, 5}},
                {{1, 2, 1, 3}, {2, 2, 4, 1}}, {{2, 3, 4, 5}, {5}}, {{3, 1, 1, 2}, {1, 2, 3, 1}}, {{1}, {2, 2, 2, 2}},
        };
        for (int[][] pair : pairs) {
            for (TensorType type : TYPES) cases.add(notEqual(random, type, pair[0], pair[1]));
        }
        // Values drawn from a small pool so that equal pairs are frequent.
        for (TensorType type : TYPES) {
            for (int n : new int[] {1, 4, 9, 16, 33}) cases.add(pooled(random, type, n));
        }
        cases.addAll(floatSpecials());
        int[] ia = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 24, (1 << 24) + 1, 7};
        int[] ib = {-0, 1, 1, Integer.MAX_VALUE, Integer.MAX_VALUE, (1 << 24) + 1, (1 << 24) + 1, -7};
        cases.add(notEqualOf("int32 extremes", TensorType.INT32, new int[] {8}, new int[] {8}, ia, ib));
        long[] la = {0L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, (1L << 53) + 1, -1L, 5L, 1L << 40};
        long[] lb = {0L, Long.MIN_VALUE, Long.MIN_VALUE, 0L, 1L << 53, 0xffffffffL, 5L + (1L << 32), 0L};
        cases.add(notEqualOf("int64 high bits", TensorType.INT64, new int[] {8}, new int[] {8}, la, lb));
        return cases;
    }

    /** Every pair of the float specials, once each way: ±0, subnormals, NaN, ±Inf. */
    private static List<OpCase> floatSpecials() {
        float[] s = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0x1.fffffcp-127f, 1e-40f, Float.MIN_NORMAL,
                -Float.MIN_NORMAL, 1f, -1f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000), 1.0000001f};
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
        cases.add(notEqualOf("float32 specials, all pairs", TensorType.FLOAT32, new int[] {n * n}, new int[] {n * n}, a, b));
        // The same through broadcasting: a column against a row.
        cases.add(notEqualOf("float32 specials, [n,1] vs [n]", TensorType.FLOAT32, new int[] {n, 1}, new int[] {n}, s, s));
        cases.add(notEqualOf("float32 specials vs scalar NaN", TensorType.FLOAT32, new int[] {n}, new int[] {},
                s, new float[] {Float.NaN}));
        cases.add(notEqualOf("float32 specials vs scalar -0", TensorType.FLOAT32, new int[] {}, new int[] {n},
                new float[] {-0f}, s));
        cases.add(notEqualOf("float32 specials vs scalar subnormal", TensorType.FLOAT32, new int[] {n}, new int[] {1},
                s, new float[] {-Float.MIN_VALUE}));
        return cases;
    }

    private static OpCase notEqual(Random random, TensorType type, int[] sa, int[] sb) {
        return notEqualOf(type + " " + Arrays.toString(sa) + " vs " + Arrays.toString(sb), type, sa, sb,
                SweepValues.ofType(random, type, SweepValues.count(sa)), SweepValues.ofType(random, type, SweepValues.count(sb)));
    }

    private static OpCase pooled(Random random, TensorType type, int n) {
        Object a;
        Object b;
        switch (type) {
            case FLOAT32: {
                float[] pool = {0f, -0f, 1f, 1e-40f, -1e-45f, Float.NaN, 2.5f};
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
            case INT64:
                a = Arrays.stream(SweepValues.ints(random, n, -2, 2)).asLongStream().toArray();
                b = Arrays.stream(SweepValues.ints(random, n, -2, 2)).asLongStream().toArray();
                break;
            default:
                a = SweepValues.bools(random, n);
                b = SweepValues.bools(random, n);
        }
        return notEqualOf(type + " pooled values, n=" + n, type, new int[] {n}, new int[] {n}, a, b);
    }

    static OpCase notEqualOf(String name, TensorType type, int[] sa, int[] sb, Object a, Object b) {
        return PredicateCases.of(BuiltinOp.NOT_EQUAL, name, type, sa, sb, a, b);
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("NOT_EQUAL", cases());
    }
}
