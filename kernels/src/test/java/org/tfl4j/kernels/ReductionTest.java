package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.tfl4j.kernels.Bits.SUBNORMAL;
import static org.tfl4j.kernels.Bits.assertBits;

/**
 * SUM and REDUCE_MAX kernels on hand-made tables. Expected values were worked out by hand, or are
 * what the TFLite 2.21 runtime returned (marked "runtime").
 */
class ReductionTest {
    /** Reduce each row of a [rows, length] input entirely. */
    private static float[] sumRows(float[] x, int rows, int length) {
        int[] outer = new int[rows];
        int[] reduced = new int[length];
        for (int o = 0; o < rows; o++) outer[o] = o * length;
        for (int r = 0; r < length; r++) reduced[r] = r;
        float[] out = Bits.nans(rows);
        Sum.float32(x, 0, out, 0, outer, reduced);
        return out;
    }

    private static float maxOf(float... x) {
        int[] reduced = new int[x.length];
        for (int r = 0; r < x.length; r++) reduced[r] = r;
        float[] out = Bits.nans(1);
        ReduceMax.float32(x, 0, out, 0, new int[] {0}, reduced);
        return out[0];
    }

    @Test
    void sumStartsFromTheFirstElement() {
        assertBits(-0f, sumRows(new float[] {-0f, -0f, -0f}, 1, 3)[0], "only -0 sums to -0");
        assertBits(0f, sumRows(new float[] {-0f, 0f}, 1, 2)[0], "-0 + +0");
        assertBits(-0f, sumRows(new float[] {-0f}, 1, 1)[0], "one element is a copy");
    }

    @Test
    void sumIsSequentialInOrder() {
        // 1e8 + 1 rounds back to 1e8 in float, so the order shows: ((1e8 + 1) + -1e8) + 1 = 1, not 2.
        assertBits(1f, sumRows(new float[] {1e8f, 1f, -1e8f, 1f}, 1, 4)[0], "sequential");
        assertBits(2f, sumRows(new float[] {1e8f, -1e8f, 1f, 1f}, 1, 4)[0], "other order");
    }

    @Test
    void sumAlongTheMiddleAxisOfTheBowModel() {
        // [1,3,2] over axis 1: output o = column o, the three steps added in time order.
        float[] x = {1e8f, 5f, 1f, 6f, -1e8f, 7f};
        float[] out = Bits.nans(3);
        Sum.float32(x, 0, out, 1, new int[] {0, 1}, new int[] {0, 2, 4});
        assertBits(new float[] {0f, 18f}, out, 1, "columns");
        assertBits(Float.NaN, out[0], "untouched");
    }

    @Test
    void sumFlushesSubnormalsButCopiesASingleElement() {
        // runtime: [1e-40, 1e-40] -> +0, [1.2e-38, -1.1e-38] -> 1.2e-38, [1e-40] -> 1e-40, [-1e-40, -0] -> -0
        assertBits(0f, sumRows(new float[] {SUBNORMAL, SUBNORMAL}, 1, 2)[0], "DAZ");
        assertBits(1.2e-38f, sumRows(new float[] {1.2e-38f, -1.1e-38f}, 1, 2)[0], "subnormal operand reads as -0");
        assertBits(SUBNORMAL, sumRows(new float[] {SUBNORMAL}, 1, 1)[0], "copy");
        assertBits(-0f, sumRows(new float[] {-SUBNORMAL, -0f}, 1, 2)[0], "signed zeros");
        assertBits(0f, sumRows(new float[] {2e-38f, -1.5e-38f}, 1, 2)[0], "FTZ of a subnormal sum");
    }

    @Test
    void emptySumsAreZeroAndEmptyMaximaAreLowest() {
        float[] out = Bits.nans(3);
        Sum.emptyFloat32(out, 1, 2);
        assertBits(new float[] {Float.NaN, 0f, 0f}, out, 0, "sum");
        ReduceMax.emptyFloat32(out, 0, 3);
        assertBits(new float[] {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE}, out, 0, "max");
        int[] ints = {9, 9};
        Sum.emptyInt32(ints, 0, 1);
        ReduceMax.emptyInt32(ints, 1, 1);
        assertArrayEquals(new int[] {0, Integer.MIN_VALUE}, ints);
    }

    @Test
    void maxLaterElementWinsTies() {
        assertBits(-0f, maxOf(-0f, 0f, -0f), "max(-0, +0, -0)");
        assertBits(0f, maxOf(-0f, -0f, 0f), "max(-0, -0, +0)");
        assertBits(3f, maxOf(1f, 3f, 2f), "plain");
    }

    @Test
    void maxNaNIsReplacedByTheNextElement() {
        // runtime: [NaN, 1, 2, NaN] -> NaN, [1, NaN, 2, 0] -> 2
        assertBits(Float.NaN, maxOf(Float.NaN, 1f, 2f, Float.NaN), "last NaN");
        assertBits(2f, maxOf(1f, Float.NaN, 2f, 0f), "NaN in the middle");
    }

    @Test
    void maxReadsSubnormalsAsZeros() {
        // runtime: [1e-40, -1] -> +0, [0, 1e-40] -> +0, [1e-40] -> 1e-40, [1e-40, -2e-40] -> -0
        assertBits(0f, maxOf(SUBNORMAL, -1f), "kept maximum is the flushed one");
        assertBits(0f, maxOf(0f, SUBNORMAL), "tie with zero, flushed");
        assertBits(SUBNORMAL, maxOf(SUBNORMAL), "copy");
        assertBits(-0f, maxOf(SUBNORMAL, -2e-40f), "tie of two flushed zeros goes to the later");
    }

    @Test
    void int32Reductions() {
        int[] x = {Integer.MAX_VALUE, 1, -4, 7, 7, -9};
        int[] out = new int[4];
        Sum.int32(x, 0, out, 0, new int[] {0, 3}, new int[] {0, 1, 2});
        ReduceMax.int32(x, 0, out, 2, new int[] {0, 3}, new int[] {0, 1, 2});
        // MAX + 1 wraps to MIN, and MIN - 4 wraps back to MAX - 3.
        assertArrayEquals(new int[] {Integer.MAX_VALUE - 3, 5, Integer.MAX_VALUE, 7}, out);
    }
}
