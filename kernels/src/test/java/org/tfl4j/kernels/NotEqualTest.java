package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** NOT_EQUAL: IEEE comparison (with DAZ) for floats, plain comparison otherwise; broadcast tables. */
class NotEqualTest {
    private static final int[] ONE_ROW = {0};

    @Test
    void floatsCompareAsIeeeUnderDaz() {
        float nan = Float.NaN;
        float[] a = {-0f, 0f, nan, nan, 1f, 1e-40f, 1e-40f, -1e-40f, 1f};
        float[] b = {0f, -0f, 0f, nan, 1f, 0f, 2e-40f, 0f, 1.0000001f};
        boolean[] out = new boolean[a.length];
        NotEqual.float32(a, 0, b, 0, out, 0, ONE_ROW, ONE_ROW, a.length, 1, 1);
        assertArrayEquals(new boolean[] {false, false, true, true, false, false, false, false, true}, out);
    }

    @Test
    void idsAgainstScalarZeroAsInEveryModel() {
        // NOT_EQUAL(ids[1,10], 0): b is a scalar, step 0.
        int[] ids = {5, 0, 3952, 0, -1, 0, 0, 0, 0, 0};
        boolean[] out = new boolean[12];
        NotEqual.int32(ids, 0, new int[] {9, 0}, 1, out, 1, ONE_ROW, ONE_ROW, 10, 1, 0);
        assertArrayEquals(new boolean[] {false, true, false, true, false, true, false, false, false, false, false, false}, out);
    }

    @Test
    void int64AndBoolWithBroadcastRows() {
        // [2,1] != [3]
        boolean[] out = new boolean[6];
        NotEqual.int64(new long[] {1L << 40, 7}, 0, new long[] {1L << 40, 7, 0}, 0, out, 0, new int[] {0, 1}, new int[] {0, 0},
                3, 0, 1);
        assertArrayEquals(new boolean[] {false, true, true, true, false, true}, out);
        NotEqual.bool(new boolean[] {true, false}, 0, new boolean[] {true, true, false}, 0, out, 0, new int[] {0, 1},
                new int[] {0, 0}, 3, 0, 1);
        assertArrayEquals(new boolean[] {false, false, true, true, true, false}, out);
    }
}
