package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.Conv2D;
import org.tfl4j.kernels.TfliteMath;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Conv2D} on a packed filter ({@link F32ConvChannelLanes} for the outputs whose order it has: at this JVM's
 * vector width, or the scalar twins at width 0) against {@link Conv2D}'s per-output scalar code, bit for bit, for
 * both TFLite kernels (single-thread GEMM, multithreaded Eigen contraction): the six CONV_2D shapes of the MovieLens
 * CNN models and sweeps over output channels, widths, filter widths, strides, dilation, SAME/VALID, batch and
 * height, into outputs pre-filled with NaN.
 */
class Conv2DChannelLanesTest {
    private static final float MAX = TfliteMath.FLT_MAX;
    private static final float[][] CLAMPS = {{-MAX, MAX}, {0f, MAX}, {-1f, 1f}, {0f, 6f}};
    private static final boolean[] THREAD_MODES = {false, true}; // eigenContraction: 1 thread, multithreaded

    /** {W, C, O}: input [1, 1, W, C], filter [O, 1, 4, C], stride 4, SAME, RELU (as the models have them). */
    private static final int[][] MODEL_SHAPES = {
            {32, 8, 64}, {8, 64, 128}, {10, 32, 64}, {3, 64, 128}, // cnn-genre (i10i32)
            {10, 16, 32}, {3, 32, 64},                             // cnn (i10)
    };

    @Test
    void modelShapes() {
        System.out.println("Conv2DChannelLanesTest: " + VectorWidth.describe());
        Random random = new Random(1);
        for (int[] s : MODEL_SHAPES) {
            Conv2D.Geometry g = Conv2D.Geometry.of(1, 1, s[0], s[1], s[2], 1, 4, 1, 4, 1, 1, true);
            for (boolean eigen : THREAD_MODES) {
                for (int repeat = 0; repeat < 3; repeat++) check(random, g, 0f, MAX, eigen, true, 0);
            }
        }
    }

    @Test
    void sweep() {
        int[] outChannels = new int[23];
        for (int i = 0; i < 20; i++) outChannels[i] = i + 1;
        outChannels[20] = 24;
        outChannels[21] = 32;
        outChannels[22] = 40;
        int[] inChannels = {1, 2, 3, 5, 8};
        Random random = new Random(2);
        int index = 0, checked = 0;
        for (int out : outChannels) {
            for (int width = 1; width <= 12; width++) {
                for (int kernel = 1; kernel <= 5; kernel++) {
                    for (boolean same : new boolean[] {true, false}) {
                        for (boolean eigen : THREAD_MODES) {
                            int i = index++;
                            int stride = 1 + i % 3;
                            int batch = 1 + i / 3 % 2;
                            int channels = inChannels[i / 6 % inChannels.length];
                            int dilation = i % 7 == 6 ? 2 : 1;
                            // Mostly one input row, as the models; sometimes a taller input with a 1- or 2-row
                            // filter, whose patches are runs of x only when the filter is as wide as the input.
                            int height = i % 11 == 10 ? 3 : 1;
                            int filterHeight = height == 3 && i % 2 == 0 ? 2 : 1;
                            int strideHeight = height == 3 ? 1 + i / 2 % 2 : 1;
                            Conv2D.Geometry g = Conv2D.Geometry.of(batch, height, width, channels, out, filterHeight,
                                    kernel, strideHeight, stride, 1, dilation, same);
                            if (g.outWidth() <= 0 || g.outHeight() <= 0) continue;
                            float[] clamp = CLAMPS[i % CLAMPS.length];
                            check(random, g, clamp[0], clamp[1], eigen, i % 9 != 8, 0);
                            checked++;
                        }
                    }
                }
            }
        }
        System.out.println("Conv2DChannelLanesTest sweep: " + checked + " convolutions");
    }

    @Test
    void wholeWidthFiltersOverSeveralRowsReadRunsOfTheInput() {
        Random random = new Random(5);
        for (int width = 1; width <= 4; width++) {
            for (boolean eigen : THREAD_MODES) {
                // [2, 5, W, 3] x [O, 2, W, 3], VALID, stride 1: each patch is two whole input rows.
                for (int out : new int[] {8, 9, 16, 33}) {
                    Conv2D.Geometry g = Conv2D.Geometry.of(2, 5, width, 3, out, 2, width, 1, 1, 1, 1, false);
                    check(random, g, -MAX, MAX, eigen, true, 0);
                }
            }
        }
    }

    @Test
    void tinyValuesTakeTheFlushingPathAndStillMatch() {
        Random random = new Random(6);
        for (int[] s : MODEL_SHAPES) {
            Conv2D.Geometry g = Conv2D.Geometry.of(1, 1, s[0], s[1], s[2], 1, 4, 1, 4, 1, 1, true);
            for (boolean eigen : THREAD_MODES) check(random, g, 0f, MAX, eigen, true, -70);
        }
    }

    /**
     * The one-position convolutions of the models sum only the patch values that can hold input (cnn-genre's movie
     * branch 192 of 256, cnn's 96 of 128: the last filter column meets SAME padding only), and the whole patch when a
     * weight there is not finite, whose product with the padding's +0 is NaN; the outputs keep the scalar code's bits.
     */
    @Test
    void oneOutputPositionLeavesOutTheFilterRowsThatMeetOnlyPadding() {
        Random random = new Random(7);
        int[][] shapes = {{3, 64, 128, 192}, {3, 32, 64, 96}, {4, 64, 128, 256}, {3, 6, 8, 20}}; // {W, C, O, summed}
        for (int[] s : shapes) {
            Conv2D.Geometry g = Conv2D.Geometry.of(1, 1, s[0], s[1], s[2], 1, 4, 1, 4, 1, 1, true);
            float[] f = F32ConvChannelLanesTest.randomValues(random, 5 + s[2] * g.patchSize());
            assertEquals(s[3], Conv2D.gemvDepth(g, f, 5), g.toString());
            check(random, g, 0f, MAX, false, true, 0, f);
            for (float bad : new float[] {Float.POSITIVE_INFINITY, Float.NaN}) {
                float[] withBad = f.clone();
                int channel = random.nextInt(s[2]);
                withBad[5 + channel * g.patchSize() + g.patchSize() - 1] = bad; // in the last column
                assertEquals(g.patchSize(), Conv2D.gemvDepth(g, withBad, 5), g + " with " + bad);
                float[] x = F32ConvChannelLanesTest.randomValues(random, g.patchSize());
                float[] bias = F32ConvChannelLanesTest.randomValues(random, s[2]);
                Conv2D conv = new Conv2D(g, 0f, MAX, false, withBad, 5);
                float[] expected = new float[s[2]], y = new float[s[2]];
                conv.eval(x, 0, withBad, 5, bias, 0, expected, 0);
                float[] packed = Conv2D.packFilter(g, withBad, 5);
                conv.eval(x, 0, withBad, 5, conv.smallestFilterValue(withBad, 5), packed, 0, bias, 0, y, 0);
                if (s[3] < g.patchSize()) { // the bad weight meets the padding's +0: NaN
                    assertTrue(Float.isNaN(y[channel]), g + " with " + bad + ": channel " + channel + " is " + y[channel]);
                }
                for (int o = 0; o < s[2]; o++) {
                    assertEquals(Float.floatToRawIntBits(expected[o]), Float.floatToRawIntBits(y[o]),
                            g + " with " + bad + ": channel " + o);
                }
            }
        }
    }

    /**
     * The convolutions with several positions sum only a position's patch values that can hold input (cnn-genre's
     * movie branch and cnn's first convolution: the first and last of three positions lose a filter column to SAME
     * padding), and every value when a weight is not finite, whose product with the padding's +0 is NaN; the outputs
     * keep the scalar code's bits, the NaN included.
     */
    @Test
    void severalPositionsLeaveOutTheFilterColumnsThatMeetOnlyPadding() {
        Random random = new Random(13);
        int[][] shapes = {{10, 32, 64}, {10, 16, 32}, {9, 8, 20}, {5, 3, 17}}; // {W, C, O}, filter width 4, stride 4
        for (int[] s : shapes) {
            Conv2D.Geometry g = Conv2D.Geometry.of(1, 1, s[0], s[1], s[2], 1, 4, 1, 4, 1, 1, true);
            float[] f = F32ConvChannelLanesTest.randomValues(random, 5 + s[2] * g.patchSize());
            check(random, g, 0f, MAX, false, true, 0, f);
            check(random, g, 0f, MAX, true, true, 0, f);
            for (float bad : new float[] {Float.POSITIVE_INFINITY, Float.NaN}) {
                float[] withBad = f.clone();
                int channel = random.nextInt(s[2]);
                withBad[5 + channel * g.patchSize()] = bad; // the first column: padding for the first position
                Conv2D conv = new Conv2D(g, -MAX, MAX, false, withBad, 5);
                float[] x = F32ConvChannelLanesTest.randomValues(random, s[0] * s[1]);
                float[] bias = F32ConvChannelLanesTest.randomValues(random, s[2]);
                float[] expected = new float[g.positions() * s[2]], y = new float[g.positions() * s[2]];
                conv.eval(x, 0, withBad, 5, bias, 0, expected, 0);
                conv.eval(x, 0, withBad, 5, conv.smallestFilterValue(withBad, 5), Conv2D.packFilter(g, withBad, 5), 0,
                        bias, 0, y, 0);
                assertTrue(Float.isNaN(y[channel]), g + " with " + bad + ": position 0 channel " + channel + " is "
                        + y[channel]);
                for (int i = 0; i < y.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(y[i]),
                            g + " with " + bad + ": position " + i / s[2] + " channel " + i % s[2]);
                }
            }
        }
    }

    @Test
    void packedFilterHasTheLayoutOfTheKernelsItsGeometryRuns() {
        float[] filter = new float[36 * 256];
        Conv2D.Geometry onePosition = Conv2D.Geometry.of(1, 1, 4, 64, 36, 1, 4, 1, 4, 1, 1, true);
        assertEquals(F32ConvChannelLanes.packedSize(36, 256), Conv2D.packFilter(onePosition, filter, 0).length);
        Conv2D.Geometry twoPositions = Conv2D.Geometry.of(1, 1, 8, 64, 36, 1, 4, 1, 4, 1, 1, true);
        assertEquals(F32ConvChannelLanes.seqsumPackedSize(36, 256), Conv2D.packFilter(twoPositions, filter, 0).length);
    }

    /**
     * One convolution with random data, packed against unpacked. A negative {@code scale} makes every value that
     * many binary orders smaller, so products can be subnormal and the flushing arithmetic runs; else 0.
     */
    private static void check(Random random, Conv2D.Geometry g, float lo, float hi, boolean eigen, boolean withBias,
                              int scale) {
        int fSize = g.outChannels() * g.patchSize();
        float[] f = scaled(F32ConvChannelLanesTest.randomValues(random, 5 + fSize), scale);
        check(random, g, lo, hi, eigen, withBias, scale, f);
    }

    /** {@link #check} with the filter {@code f} (from offset 5), a constant one: Conv2D leaves out what meets only padding. */
    private static void check(Random random, Conv2D.Geometry g, float lo, float hi, boolean eigen, boolean withBias,
                              int scale, float[] f) {
        int xOff = 3, fOff = 5, biasOff = 1, yOff = 2;
        int xSize = g.batches() * g.inHeight() * g.inWidth() * g.inChannels();
        int ySize = g.positions() * g.outChannels();
        float[] x = scaled(F32ConvChannelLanesTest.randomValues(random, xOff + xSize), scale);
        float[] bias = withBias ? F32ConvChannelLanesTest.randomValues(random, biasOff + g.outChannels()) : null;
        Conv2D conv = new Conv2D(g, lo, hi, eigen, f, fOff);
        float[] expected = nans(yOff + ySize + 3);
        conv.eval(x, xOff, f, fOff, bias, biasOff, expected, yOff);
        float[] packed = Conv2D.packFilter(g, f, fOff);
        int origin = random.nextInt(PanelOrigins.COUNT); // the packed data moved there, NaN around it
        int length = packed.length - (PanelOrigins.COUNT - 1);
        PanelOrigins.move(packed, 0, origin, length);
        Arrays.fill(packed, 0, origin, Float.NaN);
        Arrays.fill(packed, origin + length, packed.length, Float.NaN);
        float[] y = nans(yOff + ySize + 3);
        conv.eval(x, xOff, f, fOff, conv.smallestFilterValue(f, fOff), packed, origin, bias, biasOff, y, yOff);
        for (int i = 0; i < ySize; i++) {
            if (Float.isNaN(expected[yOff + i])) fail(g + ": the scalar code left output " + i + " unwritten");
        }
        for (int j = 0; j < y.length; j++) {
            int want = Float.floatToRawIntBits(expected[j]), got = Float.floatToRawIntBits(y[j]);
            if (want != got) {
                int i = j - yOff;
                String at = i >= 0 && i < ySize
                        ? "position " + i / g.outChannels() + " channel " + i % g.outChannels()
                        : "outside the output (y[" + j + "])";
                fail(g + (eigen ? " multithreaded" : " single-thread") + (withBias ? "" : " no bias")
                        + " clamp [" + lo + ", " + hi + "] scale 2^" + scale + ": " + at + " expected " + expected[j]
                        + " (0x" + Integer.toHexString(want) + ") but was " + y[j] + " (0x" + Integer.toHexString(got) + ")");
            }
        }
        if (Float.floatToRawIntBits(y[yOff - 1]) != Float.floatToRawIntBits(Float.NaN)) fail("wrote before the output");
    }

    private static float[] scaled(float[] v, int scale) {
        if (scale != 0) for (int i = 0; i < v.length; i++) v[i] = Math.scalb(v[i], scale);
        return v;
    }

    private static float[] nans(int n) {
        float[] y = new float[n];
        Arrays.fill(y, Float.NaN);
        return y;
    }
}
