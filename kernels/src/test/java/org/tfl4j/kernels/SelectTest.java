package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.tfl4j.kernels.Bits.PAYLOAD_NAN;
import static org.tfl4j.kernels.Bits.SUBNORMAL;
import static org.tfl4j.kernels.Bits.assertBits;

/** SELECT copies bits: -0.0, subnormals and NaN payloads come through untouched. */
class SelectTest {
    @Test
    void elementwiseBitCopies() {
        boolean[] cond = {true, false, true, false, true};
        float[] x = {PAYLOAD_NAN, 1f, -0f, 2f, SUBNORMAL};
        float[] y = {0f, -0f, 3f, Float.NaN, 4f};
        float[] out = Bits.nans(6);
        Select.float32(cond, 0, x, 0, y, 0, out, 1, 5);
        assertBits(new float[] {PAYLOAD_NAN, -0f, -0f, Float.NaN, SUBNORMAL}, out, 1, "select");
    }

    @Test
    void bowModelMeanOrZero() {
        // SELECT(n16 != 0, s / n16, zeros): the NaN lanes of 0/0 are discarded.
        boolean[] cond = {false, true};
        float[] quotient = {Float.NaN, 0.5f};
        float[] zeros = {0f, 0f};
        float[] out = Bits.nans(2);
        Select.float32(cond, 0, quotient, 0, zeros, 0, out, 0, 2);
        assertBits(new float[] {0f, 0.5f}, out, 0, "mean");
    }

    @Test
    void otherTypesWithOffsets() {
        boolean[] cond = {false, true, false};
        int[] ints = new int[3];
        Select.int32(cond, 1, new int[] {9, 1, 2}, 1, new int[] {9, 3, 4}, 1, ints, 1, 2);
        assertArrayEquals(new int[] {0, 1, 4}, ints);
        long[] longs = new long[2];
        Select.int64(cond, 0, new long[] {1, 2}, 0, new long[] {3, 4}, 0, longs, 0, 2);
        assertArrayEquals(new long[] {3, 2}, longs);
        boolean[] bools = new boolean[2];
        Select.bool(cond, 0, new boolean[] {true, false}, 0, new boolean[] {false, true}, 0, bools, 0, 2);
        assertArrayEquals(new boolean[] {false, false}, bools);
    }

    @Test
    void rowsFollowARankOneCondition() {
        // x, y: [3, 2]; cond [3] picks rows.
        float[] x = {1f, 2f, 3f, 4f, 5f, 6f};
        float[] y = {-1f, -2f, -3f, -4f, -5f, -6f};
        float[] out = Bits.nans(7);
        Select.rows(new boolean[] {true, false, true}, 0, 3, x, 0, y, 0, out, 1, 2);
        assertBits(new float[] {1f, 2f, -3f, -4f, 5f, 6f}, out, 1, "rows");
        int[] whole = new int[3];
        Select.rows(new boolean[] {false}, 0, 1, new int[] {1, 2, 3}, 0, new int[] {4, 5, 6}, 0, whole, 0, 3);
        assertArrayEquals(new int[] {4, 5, 6}, whole);
    }
}
