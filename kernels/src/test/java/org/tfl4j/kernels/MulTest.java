package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.tfl4j.kernels.Bits.SUBNORMAL;
import static org.tfl4j.kernels.Bits.assertBits;

/** MUL: IEEE product under FTZ/DAZ, C++ activation clamps, broadcast tables. */
class MulTest {
    private static final float MAX = Float.MAX_VALUE;
    private static final int[] ONE_ROW = {0};

    private static float[] mulSameShape(float[] a, float[] b, float lo, float hi) {
        float[] out = Bits.nans(a.length + 1);
        Mul.float32(a, 0, b, 0, out, 1, ONE_ROW, ONE_ROW, a.length, 1, 1, lo, hi);
        return java.util.Arrays.copyOfRange(out, 1, out.length);
    }

    @Test
    void maskByZeroKeepsTheSignOfZero() {
        // emb * mask, the front end of every model: a 0.0 mask gives -0.0 for negative embeddings.
        float[] emb = {0.25f, -0.5f, -0f, 0f, -3e-3f};
        float[] ones = {1f, 1f, 1f, 1f, 1f};
        float[] zeros = {0f, 0f, 0f, 0f, 0f};
        assertBits(emb, mulSameShape(emb, ones, -MAX, MAX), 0, "times 1");
        assertBits(new float[] {0f, -0f, -0f, 0f, -0f}, mulSameShape(emb, zeros, -MAX, MAX), 0, "times 0");
    }

    @Test
    void activationNoneOnlyClampsInfinity() {
        float[] a = {Float.POSITIVE_INFINITY, 3e38f, -3e38f, Float.NaN, 2f};
        float[] b = {1f, 10f, 10f, 1f, 3f};
        float[] y = mulSameShape(a, b, -MAX, MAX);
        assertBits(new float[] {MAX, MAX, -MAX, Float.NaN, 6f}, y, 0, "NONE");
    }

    @Test
    void activationsFollowCppMinMax() {
        float[] a = {-0f, -1f, 1f, 7f, -7f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY};
        float[] b = {1f, 0f, 0f, 1f, 1f, 1f, 1f, 1f};
        // Runtime answers (TFLite 2.21, activation RELU, RELU_N1_TO_1, RELU6).
        assertBits(new float[] {-0f, -0f, 0f, 7f, 0f, 0.5f, Float.NaN, MAX}, mulSameShape(a, b, 0f, MAX), 0, "RELU");
        assertBits(new float[] {-0f, -0f, 0f, 1f, -1f, 0.5f, Float.NaN, 1f}, mulSameShape(a, b, -1f, 1f), 0, "N1_TO_1");
        assertBits(new float[] {-0f, -0f, 0f, 6f, 0f, 0.5f, Float.NaN, 6f}, mulSameShape(a, b, 0f, 6f), 0, "RELU6");
    }

    @Test
    void subnormalsAreFlushed() {
        // Runtime answers: DAZ reads 1e-40 as 0; FTZ flushes a 1e-40 product to a signed zero.
        float[] a = {SUBNORMAL, 1e-20f, -1e-20f, SUBNORMAL, 3e-39f, -SUBNORMAL};
        float[] b = {1e10f, 1e-20f, 1e-20f, 1f, 1f, 1f};
        assertBits(new float[] {0f, 0f, -0f, 0f, 0f, -0f}, mulSameShape(a, b, -MAX, MAX), 0, "FTZ/DAZ");
    }

    @Test
    void broadcastTablesAsForMaskTimesEmbedding() {
        // [1,3,4] * [1,3,1]: three rows of four, b is broadcast along the row.
        float[] emb = new float[12];
        for (int i = 0; i < 12; i++) emb[i] = i - 5.5f;
        float[] mask = {1f, 0f, 1f};
        float[] out = Bits.nans(14);
        Mul.float32(emb, 0, mask, 0, out, 2, new int[] {0, 4, 8}, new int[] {0, 1, 2}, 4, 1, 0, -MAX, MAX);
        float[] expected = {-5.5f, -4.5f, -3.5f, -2.5f, -0f, -0f, 0f, 0f, 2.5f, 3.5f, 4.5f, 5.5f};
        assertBits(expected, out, 2, "mask");
    }

    @Test
    void randomTablesAgainstNaiveLoop() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int rows = rnd.nextInt(5);
            int inner = 1 + rnd.nextInt(6);
            int aStep = rnd.nextInt(2), bStep = rnd.nextInt(2);
            float[] a = new float[40], b = new float[40];
            for (int i = 0; i < 40; i++) {
                a[i] = (float) rnd.nextGaussian();
                b[i] = (float) rnd.nextGaussian();
            }
            int[] aOuter = new int[rows], bOuter = new int[rows];
            for (int o = 0; o < rows; o++) {
                aOuter[o] = rnd.nextInt(30);
                bOuter[o] = rnd.nextInt(30);
            }
            float[] out = Bits.nans(rows * inner + 3);
            Mul.float32(a, 1, b, 2, out, 3, aOuter, bOuter, inner, aStep, bStep, 0f, 6f);
            for (int o = 0; o < rows; o++) {
                for (int i = 0; i < inner; i++) {
                    float p = a[1 + aOuter[o] + i * aStep] * b[2 + bOuter[o] + i * bStep];
                    float expected = p < 0f ? 0f : p > 6f ? 6f : p;
                    assertBits(expected, out[3 + o * inner + i], "trial " + trial + " row " + o + " col " + i);
                }
            }
            assertBits(Float.NaN, out[2], "nothing written before the output");
        }
    }

    @Test
    void int32WrapsAndClamps() {
        int[] out = new int[4];
        Mul.int32(new int[] {65536, -5, 5, 3}, 0, new int[] {65536, 1, 1, 1}, 0, out, 0, ONE_ROW, ONE_ROW, 4, 1, 1,
                Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertArrayEquals(new int[] {0, -5, 5, 3}, out);
        Mul.int32(new int[] {65536, -5, 5, 3}, 0, new int[] {2, 1, 1, 1}, 0, out, 0, ONE_ROW, ONE_ROW, 4, 1, 1, 0, 6);
        assertArrayEquals(new int[] {6, 0, 5, 3}, out);
    }
}
