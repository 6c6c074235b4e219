package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.tfl4j.kernels.Bits.SUBNORMAL;
import static org.tfl4j.kernels.Bits.assertBits;

/** ADD and SUB (one IEEE op under FTZ/DAZ, then the activation clamp; int32 wraps) and SPLIT / UNPACK copies. */
class AddSubSplitTest {
    private static final float MAX = Float.MAX_VALUE;
    private static final int[] ONE_ROW = {0};

    private static float[] add(float[] a, float[] b, float lo, float hi) {
        float[] out = Bits.nans(a.length);
        Add.float32(a, 0, b, 0, out, 0, ONE_ROW, ONE_ROW, a.length, 1, 1, lo, hi);
        return out;
    }

    private static float[] sub(float[] a, float[] b, float lo, float hi) {
        float[] out = Bits.nans(a.length);
        Sub.float32(a, 0, b, 0, out, 0, ONE_ROW, ONE_ROW, a.length, 1, 1, lo, hi);
        return out;
    }

    @Test
    void signedZerosFollowIeee() {
        assertBits(new float[] {0f, -0f, 0f, 0f}, add(new float[] {0f, -0f, -0f, 1f}, new float[] {-0f, -0f, 0f, -1f}, -MAX, MAX),
                0, "ADD");
        assertBits(new float[] {0f, -0f, 0f, 0f}, sub(new float[] {0f, -0f, -0f, 1f}, new float[] {0f, 0f, -0f, 1f}, -MAX, MAX),
                0, "SUB");
    }

    @Test
    void overflowClampsAndSubnormalsFlush() {
        assertBits(new float[] {MAX, -MAX, 0f, -0f, 1f}, add(new float[] {3e38f, -3e38f, 0x1.8p-126f, -0x1.8p-126f, SUBNORMAL},
                new float[] {3e38f, -3e38f, -0x1p-126f, 0x1p-126f, 1f}, -MAX, MAX), 0, "ADD");
        assertBits(new float[] {MAX, 0f, 1f}, sub(new float[] {3e38f, 0x1.8p-126f, 1f}, new float[] {-3e38f, 0x1p-126f, SUBNORMAL},
                -MAX, MAX), 0, "SUB");
    }

    @Test
    void scalarMinusRowAsInGru() {
        // 1 - z with a scalar first operand broadcast over [1, 3]: a step of 0.
        float[] out = Bits.nans(3);
        Sub.float32(new float[] {1f}, 0, new float[] {0.25f, 1f, 0x1p-25f}, 0, out, 0, ONE_ROW, ONE_ROW, 3, 0, 1, -MAX, MAX);
        assertBits(new float[] {0.75f, 0f, 1f}, out, 0, "1 - z"); // 1 - 2^-25 rounds to 1 (ties to even)
    }

    @Test
    void int32WrapsAndClamps() {
        int[] out = new int[3];
        Add.int32(new int[] {Integer.MAX_VALUE, -5, 3}, 0, new int[] {1, 2, 4}, 0, out, 0, ONE_ROW, ONE_ROW, 3, 1, 1,
                Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -3, 7}, out);
        Sub.int32(new int[] {Integer.MIN_VALUE, -5, 3}, 0, new int[] {1, 2, 4}, 0, out, 0, ONE_ROW, ONE_ROW, 3, 1, 1, 0, 6);
        assertArrayEquals(new int[] {6, 0, 0}, out); // MIN - 1 wraps to MAX, then RELU6
    }

    @Test
    void splitAndUnpackCopyPieces() {
        // [2, 6, 1] split along axis 1 into 3 pieces of 2: piece 1 is rows 2..3 of each outer block.
        float[] in = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15};
        float[] piece = Bits.nans(4);
        Split.piece(in, 0, 2, 6, 1, 1, 2, piece, 0);
        assertBits(new float[] {2, 3, 12, 13}, piece, 0, "split piece 1");
        // UNPACK of [3, 1, 2] along axis 0: slice 2.
        int[] seq = {1, 2, 3, 4, 5, 6};
        int[] step = new int[2];
        Split.piece(seq, 0, 1, 3, 2, 2, 1, step, 0);
        assertArrayEquals(new int[] {5, 6}, step);
    }
}
