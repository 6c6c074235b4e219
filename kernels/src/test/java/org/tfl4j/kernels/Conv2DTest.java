package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tfl4j.kernels.TfliteMathTest.assertBits;

class Conv2DTest {
    private static final float MAX = TfliteMath.FLT_MAX;

    /** A 1-row convolution along the width: input [1, 1, W, C], filter [O, 1, KW, C]. */
    private static Conv2D.Geometry row(int width, int channels, int outChannels, int kernel, int stride,
                                       int dilation, boolean same) {
        return Conv2D.Geometry.of(1, 1, width, channels, outChannels, 1, kernel, 1, stride, 1, dilation, same);
    }

    @Test
    void samePaddingGeometryOfTheModelConvs() {
        // The spec's table: kernel 4, stride 4, SAME. W -> (output width, padding before).
        int[][] cases = {{10, 3, 1}, {3, 1, 0}, {32, 8, 0}, {8, 2, 0}};
        for (int[] c : cases) {
            Conv2D.Geometry g = row(c[0], 16, 32, 4, 4, 1, true);
            assertEquals(c[1], g.outWidth(), "output width for W=" + c[0]);
            assertEquals(c[2], g.padLeft(), "left padding for W=" + c[0]);
            assertEquals(1, g.outHeight(), "output height for W=" + c[0]);
            assertEquals(0, g.padTop(), "top padding for W=" + c[0]);
        }
    }

    @Test
    void validAndDilatedGeometry() {
        assertEquals(2, row(10, 1, 1, 4, 4, 1, false).outWidth(), "VALID (10 - 4) / 4 + 1");
        assertEquals(3, row(5, 1, 1, 3, 1, 1, false).outWidth(), "VALID (5 - 3) / 1 + 1");
        assertEquals(0, row(5, 1, 1, 3, 1, 1, false).padLeft(), "VALID has no padding");
        Conv2D.Geometry dilatedValid = row(7, 1, 1, 3, 1, 2, false);  // effective filter 5
        assertEquals(3, dilatedValid.outWidth(), "VALID dilated (7 - 5) / 1 + 1");
        Conv2D.Geometry dilatedSame = row(7, 1, 1, 3, 1, 2, true);
        assertEquals(7, dilatedSame.outWidth(), "SAME dilated");
        assertEquals(2, dilatedSame.padLeft(), "SAME dilated: total (7-1) + 5 - 7 = 4, half before");
        // A filter wider than the input: TFLite's C arithmetic gives 0 or a negative size (the op rejects it).
        assertEquals(-2, row(2, 1, 1, 5, 1, 1, false).outWidth(), "VALID (2 + 1 - 5) / 1");
        assertEquals(0, row(2, 1, 1, 5, 4, 1, false).outWidth(), "VALID (2 + 4 - 5) / 4");
    }

    @Test
    void stridedSamePaddingByHand() {
        // W=4, kernel 3, stride 2, SAME: 2 outputs, total padding 1, all after the last column.
        Conv2D.Geometry g = row(4, 1, 1, 3, 2, 1, true);
        assertEquals(2, g.outWidth());
        assertEquals(0, g.padLeft());
        float[] y = run(g, new float[] {1, 2, 3, 4}, new float[] {1, 10, 100}, null, -MAX, MAX, false);
        assertBits(321f, y[0], "1 + 20 + 300");
        assertBits(43f, y[1], "3 + 40 + 0 (padding)");
    }

    @Test
    void samePaddingBeforeAndAfterByHand() {
        // W=10, kernel 4, stride 4, SAME: outputs at columns -1..2, 3..6, 7..10 (one zero column each side).
        Conv2D.Geometry g = row(10, 1, 1, 4, 4, 1, true);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[] y = run(g, x, new float[] {1000, 100, 10, 1}, new float[] {0.5f}, -MAX, MAX, false);
        assertBits(123.5f, y[0], "0*1000 + 1*100 + 2*10 + 3 + 0.5");
        assertBits(4567.5f, y[1], "4567 + 0.5");
        assertBits(9000.5f, y[2], "8*1000 + 9*100 + 10*10 + 0 (padding) + 0.5");
    }

    @Test
    void dilationByHand() {
        Conv2D.Geometry g = row(5, 1, 1, 2, 1, 2, false);
        float[] y = run(g, new float[] {1, 2, 3, 4, 5}, new float[] {1, 10}, null, -MAX, MAX, false);
        assertEquals(3, y.length);
        assertBits(31f, y[0], "x0 + 10 x2");
        assertBits(42f, y[1], "x1 + 10 x3");
        assertBits(53f, y[2], "x2 + 10 x4");
    }

    @Test
    void twoDimensionsChannelsAndBatchesByHand() {
        // Input [2, 2, 2, 2] (two images), filter [2, 2, 2, 2]: VALID gives one output per image and channel.
        Conv2D.Geometry g = Conv2D.Geometry.of(2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, false);
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) x[i] = i + 1;               // image 0: 1..8, image 1: 9..16
        float[] f = new float[16];
        Arrays.fill(f, 0, 8, 1f);                                // channel 0 sums its patch
        for (int i = 8; i < 16; i++) f[i] = (i % 2 == 0) ? 1 : -1; // channel 1: input channel 0 minus 1
        float[] y = run(g, x, f, new float[] {0, 100}, 0f, MAX, false);
        assertBits(36f, y[0], "image 0, channel 0: 1 + ... + 8");
        assertBits(96f, y[1], "image 0, channel 1: relu(100 - 4)");
        assertBits(100f, y[2], "image 1, channel 0: 9 + ... + 16");
        assertBits(96f, y[3], "image 1, channel 1");
    }

    @Test
    void singleOutputPositionIsDot4OnOneThreadAndBlockedOtherwise() {
        // Input [1, 1, 4, 32], filter [2, 1, 4, 32], VALID: one output position, K = 128.
        Conv2D.Geometry g = row(4, 32, 2, 4, 1, 1, false);
        assertEquals(1, g.positions());
        float[] x = new float[128];
        Arrays.fill(x, 1f);
        x[0] = 16777216f;
        float[] f = new float[256];
        Arrays.fill(f, 1f);
        float[] oneThread = run(g, x, f, new float[] {0, 0}, -MAX, MAX, false);
        float[] multiThread = run(g, x, f, new float[] {0, 0}, -MAX, MAX, true);
        // dot4: lane 0 stays 2^24 (each +1 is a tie), lanes 1-3 sum 32: (2^24 + 32) + 64.
        assertBits(16777312f, oneThread[0], "threads = 1: dot4");
        // Blocks of 16: the first block stays 2^24, seven more add 16 each.
        assertBits(16777328f, multiThread[0], "threads != 1: blocks of 16");
    }

    @Test
    void severalOutputPositionsAreSequentialInBothModes() {
        // Input [1, 1, 8, 32], filter [8, 1, 4, 32], stride 4: two positions; 8 channels fill an 8-row block.
        Conv2D.Geometry g = row(8, 32, 8, 4, 4, 1, true);
        assertEquals(2, g.positions());
        float[] x = new float[256];
        Arrays.fill(x, 1f);
        x[0] = 16777216f;
        x[128] = 16777216f;
        float[] f = new float[8 * 128];
        Arrays.fill(f, 1f);
        for (boolean contraction : new boolean[] {false, true}) {
            float[] y = run(g, x, f, null, -MAX, MAX, contraction);
            for (int i = 0; i < y.length; i++) assertBits(16777216f, y[i], "sequential sum, output " + i);
        }
    }

    @Test
    void randomConvolutionsAgreeWithDoubleWithinTheRoundingBound() {
        SplittableRandom rnd = new SplittableRandom(9);
        // {batches, H, W, C, O, KH, KW, strideH, strideW, dilationH, dilationW, same}
        int[][] cases = {
            {1, 1, 10, 16, 32, 1, 4, 1, 4, 1, 1, 1}, {1, 1, 3, 32, 64, 1, 4, 1, 4, 1, 1, 1},
            {1, 1, 32, 8, 64, 1, 4, 1, 4, 1, 1, 1}, {1, 1, 8, 64, 128, 1, 4, 1, 4, 1, 1, 1},
            {2, 5, 6, 3, 7, 3, 2, 2, 1, 1, 1, 1}, {1, 7, 7, 2, 5, 3, 3, 1, 1, 2, 2, 0},
            {1, 6, 5, 4, 13, 2, 3, 1, 2, 1, 2, 1}, {3, 4, 4, 1, 6, 1, 1, 1, 1, 1, 1, 0},
        };
        for (int[] c : cases) {
            Conv2D.Geometry g = Conv2D.Geometry.of(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11] == 1);
            float[] x = MatMulTest.randoms(rnd, c[0] * c[1] * c[2] * c[3]);
            float[] f = MatMulTest.randoms(rnd, c[4] * g.patchSize());
            float[] bias = MatMulTest.randoms(rnd, c[4]);
            for (boolean contraction : new boolean[] {false, true}) {
                float[] y = run(g, x, f, bias, -MAX, MAX, contraction);
                checkAgainstDouble(g, x, f, bias, y, Arrays.toString(c) + " contraction " + contraction);
            }
        }
    }

    /** A direct double-precision convolution; |error| <= gamma_{K+1} (sum|f x| + |b|). */
    private static void checkAgainstDouble(Conv2D.Geometry g, float[] x, float[] f, float[] bias, float[] y, String what) {
        int k = g.patchSize();
        double u = 0x1p-24, gamma = (k + 1) * u / (1 - (k + 1) * u);
        int p = 0;
        for (int n = 0; n < g.batches(); n++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++, p++) {
                    for (int o = 0; o < g.outChannels(); o++) {
                        double exact = bias[o], magnitude = Math.abs(bias[o]);
                        for (int kh = 0; kh < g.filterHeight(); kh++) {
                            for (int kw = 0; kw < g.filterWidth(); kw++) {
                                int ih = oh * g.strideHeight() - g.padTop() + kh * g.dilationHeight();
                                int iw = ow * g.strideWidth() - g.padLeft() + kw * g.dilationWidth();
                                if (ih < 0 || ih >= g.inHeight() || iw < 0 || iw >= g.inWidth()) continue;
                                for (int ch = 0; ch < g.inChannels(); ch++) {
                                    double prod = (double) x[((n * g.inHeight() + ih) * g.inWidth() + iw) * g.inChannels() + ch]
                                            * f[((o * g.filterHeight() + kh) * g.filterWidth() + kw) * g.inChannels() + ch];
                                    exact += prod;
                                    magnitude += Math.abs(prod);
                                }
                            }
                        }
                        float got = y[p * g.outChannels() + o];
                        if (Math.abs(got - exact) > gamma * magnitude) {
                            fail(what + ": output (" + n + ", " + oh + ", " + ow + ", " + o + ") = " + got
                                    + " vs exact " + exact + ", bound " + gamma * magnitude);
                        }
                    }
                }
            }
        }
    }

    private static float[] run(Conv2D.Geometry g, float[] x, float[] f, float[] bias, float lo, float hi,
                               boolean contraction) {
        float[] y = new float[g.positions() * g.outChannels() + 2];
        Arrays.fill(y, Float.NaN);
        new Conv2D(g, lo, hi, contraction).eval(x, 0, f, 0, bias, 0, y, 1); // output at offset 1
        if (!Float.isNaN(y[0]) || !Float.isNaN(y[y.length - 1])) fail("conv wrote outside its output");
        return Arrays.copyOfRange(y, 1, y.length - 1);
    }
}
