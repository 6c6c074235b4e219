package org.tfl4j.kernels;

import org.tfl4j.kernels.simd.F32ConvChannelLanes;

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
 * output position (GEMV). This class fills one patch at a time into a scratch array of {@code K} floats
 * (or reads it straight from the input where it is one run of it) and computes its outputs one at a time, or,
 * given the filter packed once ({@link #packFilter}), with {@link F32ConvChannelLanes}' vectors across output
 * channels for the outputs whose order those kernels have (with one output position, less the filter rows that meet
 * only padding: {@link #gemvDepth}).
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
    private final float[] patch;       // [K] one im2col patch
    private final float[] secondPatch; // [K] the other patch of a pair (packed path)
    private final boolean patchesAreRuns; // a patch that lies inside the input is one contiguous run of x
    private final int gemvDepth; // the leading patch values the one-position dot4 on the packed filter sums
    private final int[] sumFrom;  // [positions] the first patch value the sequential sums of a position take
    private final int[] sumTo;    // [positions] one past its last: the values outside are always SAME padding

    /**
     * @param eigenContraction true for the arithmetic of TFLite's multithreaded kernel (thread count
     *                         other than 1, no dilation, constant filter), false for the single-thread one
     */
    public Conv2D(Geometry geometry, float actMin, float actMax, boolean eigenContraction) {
        this(geometry, actMin, actMax, eigenContraction, null, 0);
    }

    /**
     * As {@link #Conv2D(Geometry, float, float, boolean)}, for the constant filter {@code constantFilter} (from
     * {@code filterOff}) that {@link #eval(float[], int, float[], int, float, float[], int, float[], int, float[], int)}
     * will get packed: with one output position its dot4 then leaves out the filter rows that meet only padding
     * ({@link #gemvDepth}).
     */
    public Conv2D(Geometry geometry, float actMin, float actMax, boolean eigenContraction, float[] constantFilter,
                  int filterOff) {
        this.g = geometry;
        this.actMin = actMin;
        this.actMax = actMax;
        this.eigenContraction = eigenContraction;
        this.patch = new float[geometry.patchSize()];
        this.secondPatch = new float[geometry.patchSize()];
        // (kh, kw, c) order is x's own order when each filter row is a gap-free run of input columns and the
        // filter rows follow each other in x: one filter row, or rows as wide as the input without dilation.
        boolean rowIsRun = geometry.filterWidth() == 1 || geometry.dilationWidth() == 1;
        this.patchesAreRuns = rowIsRun && (geometry.filterHeight() == 1
                || (geometry.dilationHeight() == 1 && geometry.filterWidth() == geometry.inWidth()));
        this.gemvDepth = constantFilter == null || eigenContraction
                ? geometry.patchSize() : gemvDepth(geometry, constantFilter, filterOff);
        this.sumFrom = new int[geometry.positions()];
        this.sumTo = new int[geometry.positions()];
        // The ranges serve the sequential sums of several positions (one position runs dot4 over gemvDepth): only
        // then is the filter scanned, once per interpreter.
        boolean finite = constantFilter != null && geometry.positions() > 1 && geometry.filterHeight() == 1
                && allFinite(constantFilter, filterOff, geometry.outChannels() * geometry.patchSize());
        for (int col = 0; col < geometry.positions(); col++) {
            sumTo[col] = geometry.patchSize();
            if (finite) summedRange(geometry, col, sumFrom, sumTo);
        }
    }

    private static boolean allFinite(float[] a, int off, int n) {
        for (int i = off; i < off + n; i++) if (!Float.isFinite(a[i])) return false;
        return true;
    }

    /**
     * The patch values of position {@code col} that can hold input, {@code [from[col], to[col])}, for a filter one row
     * high: its patch is the filter columns' runs of C values in order, and the columns past the input's left and
     * right edges are SAME padding, +0, at its start and end (all of it when the row itself is padding). A sequential
     * sum over that range has the whole patch's bits when every weight is finite ({@link F32ConvChannelLanes#seqsum}).
     * cnn-genre's movie branch and cnn's first convolution: the first and last of their three positions lose a
     * quarter of their patch.
     */
    private static void summedRange(Geometry g, int col, int[] from, int[] to) {
        int ow = col % g.outWidth();
        int oh = col / g.outWidth() % g.outHeight();
        int ih = oh * g.strideHeight() - g.padTop();
        if (ih < 0 || ih >= g.inHeight()) { // the one filter row lies in the padding
            from[col] = 0;
            to[col] = 0;
            return;
        }
        int first = g.filterWidth(), last = -1; // the filter columns that meet input
        for (int kw = 0; kw < g.filterWidth(); kw++) {
            int iw = ow * g.strideWidth() - g.padLeft() + kw * g.dilationWidth();
            if (iw >= 0 && iw < g.inWidth()) {
                first = Math.min(first, kw);
                last = kw;
            }
        }
        from[col] = last < 0 ? 0 : first * g.inChannels();
        to[col] = last < 0 ? 0 : (last + 1) * g.inChannels();
    }

    /**
     * How many leading values of the one-position patch dot4 must sum to keep its bits: the patch less the trailing
     * values that are always SAME padding (the last filter columns past the input's right edge, the odd remainder of
     * the padding going after; cnn-genre's movie branch: 64 of 256, cnn's: 32 of 128), rounded up to a multiple of
     * 4. Exact because those values are +0, each of dot4's partial sums starts at +0 and only adds products (so it is
     * never -0 and adding a product of zero, ±0, leaves it unchanged) and the patch has no tail past its last multiple
     * of 4; so only when the patch size is a multiple of 4 and every weight of the rows left out is finite (0 times an
     * infinite weight is NaN). Else the whole patch. Those rows were a quarter of the two filters' reads.
     */
    public static int gemvDepth(Geometry g, float[] filter, int filterOff) {
        int depth = g.patchSize();
        if (g.positions() != 1 || depth % 4 != 0) return depth;
        int columns = 0; // leading filter columns whose slots can hold input: the rest are always padding
        for (int kw = 0; kw < g.filterWidth(); kw++) {
            int iw = -g.padLeft() + kw * g.dilationWidth(); // ow = 0, the one output column
            if (iw < g.inWidth()) columns = kw + 1;
        }
        if (g.filterHeight() != 1 || columns == g.filterWidth()) return depth; // rows of columns interleave past one
        int summed = (columns * g.inChannels() + 3) / 4 * 4;
        for (int o = 0; o < g.outChannels(); o++) {
            if (!allFinite(filter, filterOff + o * depth + summed, depth - summed)) return depth;
        }
        return summed;
    }

    /**
     * The filter {@code [O, K]} packed for the vector kernels this geometry runs: for one output position the GEMVs'
     * layout ({@link F32ConvChannelLanes#pack}), else the sequential sums' ({@link F32ConvChannelLanes#packForSeqsum}).
     * Pack a constant filter once and pass it to
     * {@link #eval(float[], int, float[], int, float, float[], int, float[], int, float[], int)}.
     */
    public static float[] packFilter(Geometry geometry, float[] filter, int filterOff) {
        return geometry.positions() == 1
                ? F32ConvChannelLanes.pack(filter, filterOff, geometry.outChannels(), geometry.patchSize())
                : F32ConvChannelLanes.packForSeqsum(filter, filterOff, geometry.outChannels(), geometry.patchSize());
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
        eval(x, xOff, filter, filterOff, smallestFilterValue, null, 0, bias, biasOff, y, yOff);
    }

    /**
     * Like {@link #eval(float[], int, float[], int, float, float[], int, float[], int)}, with the vector kernels
     * when {@code packedFilter} ({@link #packFilter} of the same filter) is not null: they take the outputs whose
     * order they have (whole-8-row-block and past-4-column-block GEMM rows, the one-position GEMV) when no flushing
     * is needed; every other output, and everything when flushing, runs the per-output scalar code. The bits are
     * the same either way. {@code packedOff} is the packed data's origin in its array ({@code PanelOrigins}).
     */
    public void eval(float[] x, int xOff, float[] filter, int filterOff, float smallestFilterValue, float[] packedFilter,
                     int packedOff, float[] bias, int biasOff, float[] y, int yOff) {
        int depth = g.patchSize();
        int rows = g.outChannels();
        int cols = g.positions();
        // Patches hold input values and +0 padding only, so the input's magnitudes bound theirs.
        boolean flush = MatMul.needsFlush(smallestFilterValue,
                MatMul.smallestNonZeroMagnitude(x, xOff, g.batches() * g.inHeight() * g.inWidth() * g.inChannels()));
        // One output channel (Eigen's inner product or dot4 across positions) and the tiny coefficient-based
        // product have no channel-lane form.
        boolean coeffBased = !eigenContraction && depth + rows + cols < MatMul.COEFF_BASED_THRESHOLD && cols != 1;
        if (packedFilter != null && !flush && rows != 1 && !coeffBased) {
            evalPacked(x, xOff, filter, filterOff, packedFilter, packedOff, bias, biasOff, y, yOff);
            return;
        }
        int col = 0;
        for (int n = 0; n < g.batches(); n++) {
            for (int oh = 0; oh < g.outHeight(); oh++) {
                for (int ow = 0; ow < g.outWidth(); ow++, col++) {
                    fillPatch(x, xOff, n, oh, ow, patch);
                    scalarOutputs(0, filter, filterOff, patch, 0, col, flush, bias, biasOff, y, yOff);
                }
            }
        }
    }

    /** Outputs {@code [fromRow, O)} of column {@code col} from its patch at {@code src[srcOff ..]}, one at a time. */
    private void scalarOutputs(int fromRow, float[] filter, int filterOff, float[] src, int srcOff, int col,
                               boolean flush, float[] bias, int biasOff, float[] y, int yOff) {
        int depth = g.patchSize();
        int rows = g.outChannels();
        int cols = g.positions();
        for (int o = fromRow; o < rows; o++) {
            int filterRow = filterOff + o * depth; // [KH, KW, C] of output channel o
            float acc = eigenContraction
                    ? MatMul.eigenContraction(filter, filterRow, src, srcOff, depth, o, col, rows, cols, flush)
                    : MatMul.cpuBackendGemm(filter, filterRow, src, srcOff, depth, o, col, rows, cols, flush);
            if (bias != null) acc = TfliteMath.ftz(acc + TfliteMath.ftz(bias[biasOff + o]));
            y[yOff + col * rows + o] = TfliteMath.activation(acc, actMin, actMax);
        }
    }

    /**
     * The non-flushing product with the vector kernels (the caller has excluded one channel and the
     * coefficient-based sizes). A single position is a GEMV: dot4 for every channel, or Eigen's blocked GEMV for
     * the multithreaded kernel. Otherwise the GEMM micro-kernel sums sequentially the rows in whole 8-row blocks and
     * every row of the columns past the last whole 4-column block; columns go in pairs that share that row count.
     */
    private void evalPacked(float[] x, int xOff, float[] filter, int filterOff, float[] packedFilter, int packedOff,
                            float[] bias, int biasOff, float[] y, int yOff) {
        int depth = g.patchSize();
        int rows = g.outChannels();
        int cols = g.positions();
        if (cols == 1) {
            int run = runStart(xOff, 0);
            float[] src = run >= 0 ? x : fillPatch(x, xOff, 0, patch);
            int srcOff = Math.max(run, 0);
            if (eigenContraction) {
                F32ConvChannelLanes.blockedSeqsum(src, srcOff, depth, F32ConvChannelLanes.gemvBlock(depth, rows),
                        packedFilter, packedOff, rows, bias, biasOff, actMin, actMax, y, yOff);
            } else {
                F32ConvChannelLanes.dot4(src, srcOff, depth, gemvDepth, packedFilter, packedOff, rows, bias, biasOff,
                        actMin, actMax, y, yOff);
            }
            return;
        }
        int rows8 = rows / 8 * 8;
        int cols4 = cols / 4 * 4;
        for (int col = 0; col < cols; ) {
            int seqRows = col < cols4 ? rows8 : rows; // the rows this column sums sequentially
            boolean pair = col + 1 < cols && (col + 1 < cols4) == (col < cols4);
            int run0 = runStart(xOff, col);
            float[] src0 = run0 >= 0 ? x : fillPatch(x, xOff, col, patch);
            int src0Off = Math.max(run0, 0);
            if (pair) {
                int run1 = runStart(xOff, col + 1);
                float[] src1 = run1 >= 0 ? x : fillPatch(x, xOff, col + 1, secondPatch);
                int src1Off = Math.max(run1, 0);
                int from = Math.min(sumFrom[col], sumFrom[col + 1]), to = Math.max(sumTo[col], sumTo[col + 1]);
                F32ConvChannelLanes.seqsum2(src0, src0Off, src1, src1Off, depth, from, to, packedFilter, packedOff,
                        seqRows, bias, biasOff, actMin, actMax, y, yOff + col * rows, yOff + (col + 1) * rows);
                scalarOutputs(seqRows, filter, filterOff, src0, src0Off, col, false, bias, biasOff, y, yOff);
                scalarOutputs(seqRows, filter, filterOff, src1, src1Off, col + 1, false, bias, biasOff, y, yOff);
                col += 2;
            } else {
                F32ConvChannelLanes.seqsum(src0, src0Off, depth, sumFrom[col], sumTo[col], packedFilter, packedOff,
                        seqRows, bias, biasOff, actMin, actMax, y, yOff + col * rows);
                scalarOutputs(seqRows, filter, filterOff, src0, src0Off, col, false, bias, biasOff, y, yOff);
                col++;
            }
        }
    }

    /**
     * Where column {@code col}'s patch starts in x when it is one run of x ({@link #patchesAreRuns} and no padding
     * inside it), so it needs no copy; else -1.
     */
    private int runStart(int xOff, int col) {
        if (!patchesAreRuns) return -1;
        int ow = col % g.outWidth();
        int oh = col / g.outWidth() % g.outHeight();
        int n = col / (g.outWidth() * g.outHeight());
        int ih = oh * g.strideHeight() - g.padTop();
        int iw = ow * g.strideWidth() - g.padLeft();
        if (ih < 0 || ih + (g.filterHeight() - 1) * g.dilationHeight() >= g.inHeight()
                || iw < 0 || iw + (g.filterWidth() - 1) * g.dilationWidth() >= g.inWidth()) {
            return -1;
        }
        return xOff + ((n * g.inHeight() + ih) * g.inWidth() + iw) * g.inChannels();
    }

    /** {@link #fillPatch(float[], int, int, int, int, float[])} for column {@code col} = (n, oh, ow); returns dst. */
    private float[] fillPatch(float[] x, int xOff, int col, float[] dst) {
        int ow = col % g.outWidth();
        int oh = col / g.outWidth() % g.outHeight();
        int n = col / (g.outWidth() * g.outHeight());
        fillPatch(x, xOff, n, oh, ow, dst);
        return dst;
    }

    /** dst[(kh·KW + kw)·C + c] = x[n][ih][iw][c], or +0 where (ih, iw) falls in the padding. */
    private void fillPatch(float[] x, int xOff, int n, int oh, int ow, float[] dst) {
        int channels = g.inChannels();
        for (int kh = 0; kh < g.filterHeight(); kh++) {
            int ih = oh * g.strideHeight() - g.padTop() + kh * g.dilationHeight();
            for (int kw = 0; kw < g.filterWidth(); kw++) {
                int iw = ow * g.strideWidth() - g.padLeft() + kw * g.dilationWidth();
                int at = (kh * g.filterWidth() + kw) * channels;
                if (ih >= 0 && ih < g.inHeight() && iw >= 0 && iw < g.inWidth()) {
                    int src = xOff + ((n * g.inHeight() + ih) * g.inWidth() + iw) * channels;
                    System.arraycopy(x, src, dst, at, channels);
                } else {
                    Arrays.fill(dst, at, at + channels, 0f);
                }
            }
        }
    }
}
