package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;
import static org.tfl4j.kernels.TfliteMathTest.assertBits;

class FullyConnectedTest {
    private static final float MAX = TfliteMath.FLT_MAX;

    @Test
    void twoByThreeByHand() {
        float[] w = {1, 2, 3,
                     4, 5, 6};               // [2, 3]
        float[] x = {1, 2, 3};               // [1, 3]
        float[] bias = {0.5f, -1f};
        float[] y = new float[2];
        FullyConnected.eval(x, 0, 1, 3, w, 0, 2, bias, 0, -MAX, MAX, y, 0);
        assertBits(14.5f, y[0], "1+4+9 + 0.5");
        assertBits(31f, y[1], "4+10+18 - 1");
    }

    @Test
    void subnormalsAreReadAsZerosAndResultsFlushed() {
        float[] w = {1, 1, 0x1p-70f, 0x1p-70f};  // [2, 2]
        float[] x = {0x1p-70f, -Float.MIN_VALUE}; // [1, 2]: DAZ reads the second as -0
        float[] bias = {-0x1p-130f, 1f};         // a subnormal bias is read as -0
        float[] y = new float[2];
        FullyConnected.eval(x, 0, 1, 2, w, 0, 2, bias, 0, -MAX, MAX, y, 0);
        assertBits(0x1p-70f, y[0], "2^-70 + -0, plus a bias of -0");
        assertBits(1f, y[1], "2^-140 flushes to 0, plus 1");
        float[] zero = {0f, 0f};
        FullyConnected.eval(zero, 0, 1, 2, w, 0, 2, bias, 0, -MAX, MAX, y, 0);
        assertBits(0f, y[0], "+0 + a subnormal negative bias: +0, not the bias");
    }

    @Test
    void batchOfTwoWithReluAndOffsets() {
        float[] w = {9, 1, 2, 3, 4, 5, 6};   // weights start at 1
        float[] x = {7, 7, 1, 2, 3, -1, -1, -1}; // two rows start at 2
        float[] bias = {9, 0.5f, -1f};       // bias starts at 1
        float[] y = new float[5];
        FullyConnected.eval(x, 2, 2, 3, w, 1, 2, bias, 1, 0f, MAX, y, 1);
        assertBits(0f, y[0], "untouched");
        assertBits(14.5f, y[1], "row 0 unit 0");
        assertBits(31f, y[2], "row 0 unit 1");
        assertBits(0f, y[3], "row 1 unit 0: relu(-6 + 0.5)");
        assertBits(0f, y[4], "row 1 unit 1: relu(-15 - 1)");
    }

    @Test
    void clampingActivationsAndNoBias() {
        float[] w = {1, 1, -1, -1, 4, 4};    // [3, 2]
        float[] x = {1, 2};
        float[] y = new float[3];
        FullyConnected.eval(x, 0, 1, 2, w, 0, 3, null, 0, 0f, 6f, y, 0);      // RELU6
        assertBits(3f, y[0], "relu6(3)");
        assertBits(0f, y[1], "relu6(-3)");
        assertBits(6f, y[2], "relu6(12)");
        FullyConnected.eval(x, 0, 1, 2, w, 0, 3, null, 0, -1f, 1f, y, 0);     // RELU_N1_TO_1
        assertBits(1f, y[0], "relu1(3)");
        assertBits(-1f, y[1], "relu1(-3)");
    }

    @Test
    void noActivationStillClampsInfinityToFltMax() {
        float[] w = {MAX, MAX, -MAX, -MAX};
        float[] x = {1, 1};
        float[] y = new float[2];
        FullyConnected.eval(x, 0, 1, 2, w, 0, 2, null, 0, -MAX, MAX, y, 0);
        assertBits(MAX, y[0], "MAX + MAX overflows to +inf, clamped");
        assertBits(-MAX, y[1], "-MAX - MAX overflows to -inf, clamped");
    }

    @Test
    void batchOneIsDot4() {
        // The verified batch-1 path: 2^24 + seven ones. dot4 gives 2^24 + 6, a sequential sum 2^24.
        float[] w = {16777216f, 1, 1, 1, 1, 1, 1, 1};
        float[] x = {1, 1, 1, 1, 1, 1, 1, 1};
        float[] y = new float[1];
        FullyConnected.eval(x, 0, 1, 8, w, 0, 1, null, 0, -MAX, MAX, y, 0);
        assertBits(16777222f, y[0], "dot4");
    }

    @Test
    void randomLayersAgreeWithDoubleWithinTheRoundingBound() {
        // in products + (in - 1) additions + the bias add: |error| <= gamma_{in+1} (sum|w x| + |b|).
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{1, 16, 16}, {1, 256, 32}, {1, 16, 3953}, {3, 13, 7}, {4, 40, 3}, {2, 5, 9}, {7, 64, 16}};
        for (int[] s : shapes) {
            int batches = s[0], in = s[1], units = s[2];
            float[] x = MatMulTest.randoms(rnd, batches * in);
            float[] w = MatMulTest.randoms(rnd, units * in);
            float[] bias = MatMulTest.randoms(rnd, units);
            float[] y = new float[batches * units];
            FullyConnected.eval(x, 0, batches, in, w, 0, units, bias, 0, -MAX, MAX, y, 0);
            double u = 0x1p-24, gamma = (in + 1) * u / (1 - (in + 1) * u);
            for (int b = 0; b < batches; b++) {
                for (int o = 0; o < units; o++) {
                    double exact = bias[o], magnitude = Math.abs(bias[o]);
                    for (int k = 0; k < in; k++) {
                        double p = (double) w[o * in + k] * x[b * in + k];
                        exact += p;
                        magnitude += Math.abs(p);
                    }
                    float got = y[b * units + o];
                    if (Math.abs(got - exact) > gamma * magnitude) {
                        fail("FC " + batches + "x" + in + " -> " + units + " at row " + b + ", unit " + o + ": " + got
                                + " vs exact " + exact + ", bound " + gamma * magnitude);
                    }
                }
            }
        }
    }
}
