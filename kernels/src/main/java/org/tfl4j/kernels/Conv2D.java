package org.tfl4j.kernels;

import java.util.Arrays;

/**
 * CONV_2D, float32, NHWC (spec 3.9): input {@code [N, H, W, C]}, filter {@code [O, KH, KW, C]} (OHWI),
 * optional bias {@code [O]}, output {@code [N, OH, OW, O]}.
 *
 * <p>TFLite forms the im2col matrix, one patch of {@code K = KH·KW·C} values per output position in
 * {@code (kh, kw, c)} order with +0 for padding, multiplies the filter rows {@code [O, K]} with it, then
 * adds the bias and clamps. Output positions are the product's columns, in {@code (n, oh, ow)} order. The
 * accumulation order comes from {@link MatMul}: {@link MatMul#cpuBackendGemm} for TFLite's single-thread
 * kernel, {@link MatMul#eigenContraction} for its multithreaded one; they differ when there is a single
 * output position (GEMV). This class fills one patch at a time into a scratch array of {@code K} floats.
 * Under FTZ/DAZ as {@link MatMul} describes: the flushing arithmetic only when the operands' magnitudes allow a
 * subnormal; the bias add reads a subnormal bias as a signed zero.
 */
public final class Conv2D {

    /**
     * Sizes and padding of one convolution, with TFLite's SAME/VALID rules ({@link #of}).
     * {@code padTop}/{@code padLeft} are the padding before the first row/column (the odd remainder of
     * SAME padding goes after the last).
     */
    public record Geometry(int batches, int inHeight, int inWidth, int inChannels, int outChannels,
                           int filterHeight, int filterWidth, int strideHeight, int strideWidth,
                           int dilationHeight, int dilationWidth, int padTop, int padLeft,
                           int outHeight, int outWidth) {

        /** Computes the output size and padding as TFLite's {@code ComputePaddingHeightWidth} does. */
        public static Geometry of(int batches, int inHeight, int inWidth, int inChannels, int outChannels,
                                  int filterHeight, int filterWidth, int strideHeight, int strideWidth,
                                  int dilationHeight, int dilationWidth, boolean samePadding) {
            int outHeight = outputSize(samePadding, inHeight, filterHeight, strideHeight, dilationHeight);
            int outWidth = outputSize(samePadding, inWidth, filterWidth, strideWidth, dilationWidth);
            int padTop = paddingBefore(inHeight, filterHeight, strideHeight, dilationHeight, outHeight);
            int padLeft = paddingBefore(inWidth, filterWidth, strideWidth, dilationWidth, outWidth);
            return new Geometry(batches, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth,
                    strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft, outHeight, outWidth);
        }

        /** Values per patch, K = KH·KW·C: the depth of the product. */
        public int patchSize() {
            return filterHeight * filterWidth * inChannels;
        }

        /** Output positions N·OH·OW: the columns of the product. */
        public int positions() {
            return batches * outHeight * outWidth;
        }
    }

    /**
     * TFLite's {@code ComputeOutSize}: SAME gives {@code ceil(in / stride)}, VALID
     * {@code (in - effectiveFilter) / stride + 1} (C division, so it can be 0 or negative for a filter
     * larger than the input; callers reject that).
     */
    public static int outputSize(boolean samePadding, int inSize, int filterSize, int stride, int dilation) {
        int effectiveFilter = (filterSize - 1) * dilation + 1;
        return samePadding ? (inSize + stride - 1) / stride : (inSize + stride - effectiveFilter) / stride;
    }

    /** TFLite's {@code ComputePaddingWithOffset}: half the total padding, rounded down, goes before. */
    public static int paddingBefore(int inSize, int filterSize, int stride, int dilation, int outSize) {
        int effectiveFilter = (filterSize - 1) * dilation + 1;
        int total = Math.max((outSize - 1) * stride + effectiveFilter - inSize, 0);
        return total / 2;
    }

    private final Geometry g;
    private final float actMin;
    private final float actMax;
    private final boolean eigenContraction;
    private final float[] patch; // [K] one im2col row

    /**
     * @param eigenContraction true for the arithmetic of TFLite's multithreaded kernel (thread count
     *                         other than 1, no dilation, constant filter), false for the single-thread one
     */
    public Conv2D(Geometry geometry, float actMin, float actMax, boolean eigenContraction) {
        this.g = geometry;
        this.actMin = actMin;
        this.actMax = actMax;
        this.eigenContraction = eigenContraction;
        this.patch = new float[geometry.patchSize()];
    }

    /**
     * {@code bias} may be null: then only the clamp is applied, as TFLite's single-thread GEMM would (TFLite's
     * CONV_2D op itself refuses a missing bias).
     */
    public void eval(float[] x, int xOff, float[] filter, int filterOff, float[] bias, int biasOff,
                     float[] y, int yOff) {
        eval(x, xOff, filter, filterOff, smallestFilterValue(filter, filterOff), bias, biasOff, y, yOff);
    }

    /** The smallest non-zero filter magnitude, for {@link MatMul#needsFlush} (computed once for a constant filter). */
    public float smallestFilterValue(float[] filter, int filterOff) {
        return MatMul.smallestNonZeroMagnitude(filter, filterOff, g.outChannels() * g.patchSize());
    }

    /** Like {@link #eval(float[], int, float[], int, float[], int, float[], int)} with the filter's {@link #smallestFilterValue}. */
    public void eval(float[] x, int xOff, float[] filter, int filterOff, float smallestFilterValue, float[] bias, int biasOff,
                     float[] y, int yOff) {
        int depth = g.patchSize();
        int rows = g.outChannels();
        int cols = g.positions();
        // Patches hold input values and +0 padding only, so the input's magnitudes bound theirs.
        boolean flush = MatMul.needsFlush(smallestFilterValue,
                MatMul.smallestNonZeroMagnitude(x, xOff, g.batches() * g.inHeight() * g.inWidth() * g.inChannels()));
        int col = 0;
        for (int n = 0; n < g.batches(); n++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++, col++) {
                    fillPatch(x, xOff, n, oh, ow);
                    for (int o = 0; o < rows; o++) {
                        int filterRow = filterOff + o * depth; // [KH, KW, C] of output channel o
                        float acc = eigenContraction
                                ? MatMul.eigenContraction(filter, filterRow, patch, 0, depth, o, col, rows, cols, flush)
                                : MatMul.cpuBackendGemm(filter, filterRow, patch, 0, depth, o, col, rows, cols, flush);
                        if (bias != null) acc = TfliteMath.ftz(acc + TfliteMath.ftz(bias[biasOff + o]));
                        y[yOff + col * rows + o] = TfliteMath.activation(acc, actMin, actMax);
                    }
                }
            }
        }
    }

    /** patch[(kh·KW + kw)·C + c] = x[n][ih][iw][c], or +0 where (ih, iw) falls in the padding. */
    private void fillPatch(float[] x, int xOff, int n, int oh, int ow) {
        int channels = g.inChannels();
        for (int kh = 0; kh < g.filterHeight(); kh++) {
            int ih = oh * g.strideHeight() - g.padTop() + kh * g.dilationHeight();
            for (int kw = 0; kw < g.filterWidth(); kw++) {
                int iw = ow * g.strideWidth() - g.padLeft() + kw * g.dilationWidth();
                int dst = (kh * g.filterWidth() + kw) * channels;
                if (ih >= 0 && ih < g.inHeight() && iw >= 0 && iw < g.inWidth()) {
                    int src = xOff + ((n * g.inHeight() + ih) * g.inWidth() + iw) * channels;
                    System.arraycopy(x, src, patch, dst, channels);
                } else {
                    Arrays.fill(patch, dst, dst + channels, 0f);
                }
            }
        }
    }
}
