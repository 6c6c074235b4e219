package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfl4j.kernels.Bits.SUBNORMAL;
import static org.tfl4j.kernels.Bits.assertBits;

/** DIV: true IEEE division under FTZ/DAZ then the activation clamp; int32 truncation. */
class DivTest {
    private static final float MAX = Float.MAX_VALUE;
    private static final int[] ONE_ROW = {0};

    private static float[] div(float[] a, float[] b, float lo, float hi) {
        float[] out = Bits.nans(a.length);
        Div.float32(a, 0, b, 0, out, 0, ONE_ROW, ONE_ROW, a.length, 1, 1, lo, hi);
        return out;
    }

    @Test
    void divisionByZeroClampsToFltMaxAndZeroByZeroIsNaN() {
        float[] y = div(new float[] {1f, -1f, 1f, -0f, 3f, 0f}, new float[] {0f, 0f, -0f, 1f, 4f, 0f}, -MAX, MAX);
        assertBits(new float[] {MAX, -MAX, -MAX, -0f, 0.75f}, y, 0, "NONE");
        // The NaN's sign bit is the hardware's default NaN (x86: 0xFFC00000, like TFLite), so only test NaN-ness.
        assertTrue(Float.isNaN(y[5]), "0/0 stays NaN through the clamp");
    }

    @Test
    void isTrueDivisionNotAReciprocal() {
        // Exact quotients rounded once (worked out with rationals): 10/3 is 0x40555555, while 10 * fl(1/3)
        // would give 0x40555556.
        float[] y = div(new float[] {1f, 10f, 0.3f, 3f}, new float[] {3f, 3f, 0.1f, 3f}, -MAX, MAX);
        assertBits(new float[] {Float.intBitsToFloat(0x3eaaaaab), Float.intBitsToFloat(0x40555555), 3f, 1f}, y, 0, "quotients");
    }

    @Test
    void subnormalsAreFlushed() {
        // Runtime answers (TFLite 2.21): DAZ turns 1/1e-40 into 1/0; FTZ flushes a 1e-40 quotient.
        float[] y = div(new float[] {SUBNORMAL, 1e-30f, 1f, SUBNORMAL, -1e-30f}, new float[] {1e-10f, 1e10f, SUBNORMAL, 1f, 1e10f},
                -MAX, MAX);
        assertBits(new float[] {0f, 0f, MAX, 0f, -0f}, y, 0, "FTZ/DAZ");
    }

    @Test
    void reluRangesApplyToQuotients() {
        float[] a = {-0f, -1f, 1f, 7f, -7f};
        float[] b = {1f, 0f, -0f, 1f, 1f};
        assertBits(new float[] {-0f, 0f, 0f, 7f, 0f}, div(a, b, 0f, MAX), 0, "RELU");
        assertBits(new float[] {-0f, -1f, -1f, 1f, -1f}, div(a, b, -1f, 1f), 0, "N1_TO_1");
        assertBits(new float[] {-0f, 0f, 0f, 6f, 0f}, div(a, b, 0f, 6f), 0, "RELU6");
    }

    @Test
    void int32TruncatesTowardZeroWithBroadcast() {
        // [2,1] / [3] -> [2,3]
        int[] out = new int[6];
        Div.int32(new int[] {7, -8}, 0, new int[] {2, -3, 5}, 0, out, 0, new int[] {0, 1}, new int[] {0, 0}, 3, 0, 1,
                Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertArrayEquals(new int[] {3, -2, 1, -4, 2, -1}, out);
        Div.int32(new int[] {70, -7}, 0, new int[] {2, 2}, 0, out, 0, ONE_ROW, ONE_ROW, 2, 1, 1, 0, 6);
        assertEquals(6, out[0]);
        assertEquals(0, out[1]);
    }

    @Test
    void firstZeroFindsTheDivisorTfliteRejects() {
        assertEquals(-1, Div.firstZero(new int[] {0, 1, 2}, 1, 2));
        assertEquals(1, Div.firstZero(new int[] {0, 1, 0, 2}, 1, 3));
    }
}
