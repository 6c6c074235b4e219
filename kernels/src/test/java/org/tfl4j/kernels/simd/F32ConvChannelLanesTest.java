package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.MatMul;
import org.tfl4j.kernels.TfliteMath;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32ConvChannelLanes}: for each order (sequential sum on one and on two patches, dot4, Eigen's blocked GEMV)
 * the dispatching method, the vector kernel and the scalar twin against a reference built from the exact scalar
 * orders ({@link TfliteMath#seqsum}, {@link TfliteMath#dot4}, {@link MatMul#blockedSeqsum}) on the unpacked filter,
 * bit for bit, over channel and depth sweeps with odd tails, with and without bias, every activation clamp, into
 * outputs pre-filled with NaN.
 */
class F32ConvChannelLanesTest {
    private static final float MAX = TfliteMath.FLT_MAX;
    /** NONE, RELU, RELU_N1_TO_1, RELU6 as {lo, hi}. */
    private static final float[][] CLAMPS = {{-MAX, MAX}, {0f, MAX}, {-1f, 1f}, {0f, 6f}};
    /** A quiet NaN with a payload no arithmetic produces, so an overwrite shows even as another NaN. */
    private static final int GUARD_BITS = 0x7fc0_1234;
    private static final int GUARD = 5;

    private static final int[] CHANNELS = sweep(20, 24, 32, 40, 64, 128);
    private static final int[] DEPTHS = sweep(17, 31, 32, 33, 64, 127, 128, 129, 130, 256);

    private static int[] sweep(int upTo, int... extra) {
        int[] sizes = new int[upTo + extra.length];
        for (int i = 0; i < upTo; i++) sizes[i] = i + 1;
        System.arraycopy(extra, 0, sizes, upTo, extra.length);
        return sizes;
    }

    @FunctionalInterface
    interface OnePatch {
        void run(float[] x, int xOff, int depth, float[] packed, int packedOff, int channels, float[] bias, int biasOff,
                 float actMin, float actMax, float[] y, int yOff);
    }

    @FunctionalInterface
    interface TwoPatches {
        void run(float[] x0, int x0Off, float[] x1, int x1Off, int depth, float[] packed, int packedOff, int channels,
                 float[] bias, int biasOff, float actMin, float actMax, float[] y, int y0Off, int y1Off);
    }

    @FunctionalInterface
    interface Blocked {
        void run(float[] x, int xOff, int depth, int kBlock, float[] packed, int packedOff, int channels, float[] bias,
                 int biasOff,
                 float actMin, float actMax, float[] y, int yOff);
    }

    /** One output's exact scalar sum of filter row {@code o} and the patch. */
    @FunctionalInterface
    interface Order {
        float sum(float[] f, int fRow, float[] x, int xOff, int depth);
    }

    private static final String[] NAMES = {"dispatch", "vector", "scalar twin"};

    @Test
    void seqsumMatchesSequentialSum() {
        OnePatch[] kernels = { // over the whole patch
            (x, xOff, depth, p, pOff, ch, b, bOff, lo, hi, y, yOff) ->
                    F32ConvChannelLanes.seqsum(x, xOff, depth, 0, depth, p, pOff, ch, b, bOff, lo, hi, y, yOff),
            (x, xOff, depth, p, pOff, ch, b, bOff, lo, hi, y, yOff) ->
                    F32ConvChannelLanes.seqsumVector(x, xOff, depth, 0, depth, p, pOff, ch, b, bOff, lo, hi, y, yOff),
            (x, xOff, depth, p, pOff, ch, b, bOff, lo, hi, y, yOff) ->
                    F32ConvChannelLanes.seqsumScalar(x, xOff, depth, 0, depth, p, pOff, ch, b, bOff, lo, hi, y, yOff)};
        sweepOnePatch("seqsum", kernels, TfliteMath::seqsum, 1, true);
    }

    /**
     * The sequential sums over a range {@code [from, to)} of patches whose other values are +0 (SAME padding past the
     * input's edges, as Conv2D leaves out), against TFLite's sequential sum over the whole patch, finite weights: the
     * same bits, for one patch and for two (each with its own zeros outside the common range), every kernel, into
     * outputs pre-filled with NaN. Empty and whole ranges included.
     */
    @Test
    void sequentialSumsOverARangeMatchTheWholePatch() {
        Random random = new Random(11);
        int checked = 0;
        for (int channels : new int[] {3, 16, 20, 64, 72, 128}) {
            for (int depth : new int[] {8, 32, 64, 128, 130}) {
                int[][] ranges = {{0, depth}, {depth / 4, depth}, {0, 3 * depth / 4}, {depth / 4, 3 * depth / 4},
                        {5, 5}, {depth, depth}};
                float[] f = randomValues(random, channels * depth);
                float[] packed = F32ConvChannelLanes.packForSeqsum(f, 0, channels, depth);
                for (int[] r : ranges) {
                    int from = r[0], to = r[1];
                    float[] x0 = randomValues(random, 2 + depth), x1 = randomValues(random, 2 + depth);
                    for (int k = 0; k < depth; k++) {
                        if (k < from || k >= to) { // padding: +0 or -0 in either patch
                            x0[2 + k] = random.nextBoolean() ? 0f : -0f;
                            x1[2 + k] = random.nextBoolean() ? 0f : -0f;
                        }
                    }
                    float[] e0 = new float[channels], e1 = new float[channels];
                    for (int o = 0; o < channels; o++) {
                        e0[o] = TfliteMath.seqsum(f, o * depth, x0, 2, depth);
                        e1[o] = TfliteMath.seqsum(f, o * depth, x1, 2, depth);
                    }
                    String where = channels + " channels, depth " + depth + ", values [" + from + ", " + to + ")";
                    for (int kernel = 0; kernel < 3; kernel++) {
                        float[] y = new float[GUARD + 2 * channels + GUARD];
                        Arrays.fill(y, Float.intBitsToFloat(GUARD_BITS));
                        switch (kernel) {
                            case 0: F32ConvChannelLanes.seqsum(x0, 2, depth, from, to, packed, 0, channels, null, 0,
                                    -MAX, MAX, y, GUARD); break;
                            case 1: F32ConvChannelLanes.seqsumVector(x0, 2, depth, from, to, packed, 0, channels, null,
                                    0, -MAX, MAX, y, GUARD); break;
                            default: F32ConvChannelLanes.seqsumScalar(x0, 2, depth, from, to, packed, 0, channels, null,
                                    0, -MAX, MAX, y, GUARD);
                        }
                        assertBits(e0, y, GUARD, channels, "seqsum " + NAMES[kernel] + ", " + where);
                        Arrays.fill(y, Float.intBitsToFloat(GUARD_BITS));
                        switch (kernel) {
                            case 0: F32ConvChannelLanes.seqsum2(x0, 2, x1, 2, depth, from, to, packed, 0, channels,
                                    null, 0, -MAX, MAX, y, GUARD, GUARD + channels); break;
                            case 1: F32ConvChannelLanes.seqsum2Vector(x0, 2, x1, 2, depth, from, to, packed, 0,
                                    channels, null, 0, -MAX, MAX, y, GUARD, GUARD + channels); break;
                            default: F32ConvChannelLanes.seqsum2Scalar(x0, 2, x1, 2, depth, from, to, packed, 0,
                                    channels, null, 0, -MAX, MAX, y, GUARD, GUARD + channels);
                        }
                        assertBits(e0, y, GUARD, channels, "seqsum2 patch 0 " + NAMES[kernel] + ", " + where);
                        assertBits(e1, y, GUARD + channels, channels, "seqsum2 patch 1 " + NAMES[kernel] + ", " + where);
                        for (int g = 0; g < GUARD; g++) {
                            if (Float.floatToRawIntBits(y[g]) != GUARD_BITS
                                    || Float.floatToRawIntBits(y[GUARD + 2 * channels + g]) != GUARD_BITS) {
                                fail(NAMES[kernel] + ", " + where + ": wrote outside the outputs");
                            }
                        }
                        checked++;
                    }
                }
            }
        }
        System.out.println("F32ConvChannelLanesTest: " + checked + " sequential sums over ranges");
    }

    /** The dot4 kernels (dispatch, vector, scalar twin) summing the first {@code summed.applyAsInt(depth)} values. */
    private static OnePatch[] dot4Kernels(IntUnaryOperator summed) {
        return new OnePatch[] {
                (x, xOff, d, packed, pOff, ch, bias, bOff, lo, hi, y, yOff) -> F32ConvChannelLanes.dot4(x, xOff, d,
                        summed.applyAsInt(d), packed, pOff, ch, bias, bOff, lo, hi, y, yOff),
                (x, xOff, d, packed, pOff, ch, bias, bOff, lo, hi, y, yOff) -> F32ConvChannelLanes.dot4Vector(x, xOff, d,
                        summed.applyAsInt(d), packed, pOff, ch, bias, bOff, lo, hi, y, yOff),
                (x, xOff, d, packed, pOff, ch, bias, bOff, lo, hi, y, yOff) -> F32ConvChannelLanes.dot4Scalar(x, xOff, d,
                        summed.applyAsInt(d), packed, pOff, ch, bias, bOff, lo, hi, y, yOff)};
    }

    /** The dot4 kernels over the whole patch. */
    private static final OnePatch[] DOT4 = dot4Kernels(depth -> depth);

    @Test
    void dot4MatchesDot4() {
        sweepOnePatch("dot4", DOT4, TfliteMath::dot4, 2, false);
    }

    /**
     * dot4 over the leading {@code summed} values of patches whose other values are +0 (SAME padding past the input's
     * edge, as Conv2D leaves out), against TFLite's dot4 over the whole patch: the same bits. Finite weights, depths and
     * summed counts multiples of 4, every residue of summed / 4 mod 4.
     */
    @Test
    void dot4OverLeadingValuesMatchesDot4OverTheWholePatch() {
        Random random = new Random(7);
        int i = 0;
        for (int channels : CHANNELS) {
            for (int depth : new int[] {4, 8, 16, 32, 64, 128, 256}) {
                for (int summed = 0; summed < depth; summed += Math.max(4, depth / 8)) {
                    Case c = new Case(random, i++, channels, depth);
                    Arrays.fill(c.x, c.xOff + summed, c.xOff + depth, 0f);
                    int n = summed;
                    runOnePatch("dot4 over the first " + summed, dot4Kernels(d -> n), c, c.packed,
                            c.expected(TfliteMath::dot4, c.x, c.xOff));
                }
            }
        }
    }

    /**
     * dot4 over patches that are mostly zeros of both signs (ReLU outputs, SAME padding, as the models' second
     * convolutions see), against filters with an infinite or NaN weight where the input is zero (their product is NaN).
     */
    @Test
    void dot4OverMostlyZeroPatches() {
        OnePatch[] kernels = DOT4;
        Random random = new Random(5);
        int i = 0;
        for (int channels : new int[] {4 * 16, 4 * 16 + 16, 128, 8 * 16 + 3, 200}) {
            for (int depth : new int[] {64, 127, 128, 130, 256}) {
                for (int weights = 0; weights < 3; weights++) {
                    Case c = new Case(random, i++, channels, depth);
                    for (int k = 0; k < depth; k++) {
                        if (random.nextInt(2) == 0) c.x[c.xOff + k] = random.nextBoolean() ? 0f : -0f;
                    }
                    String what = "dot4 zeros";
                    if (weights > 0) { // a non-finite weight in a column whose input is zero
                        int k = 0;
                        while (c.x[c.xOff + k] != 0f) k++;
                        c.f[c.fOff + random.nextInt(channels) * depth + k] = weights == 1 ? Float.POSITIVE_INFINITY : Float.NaN;
                        what += weights == 1 ? ", an infinite weight" : ", a NaN weight";
                    }
                    runOnePatch(what, kernels, c, Case.atOrigin(F32ConvChannelLanes.pack(c.f, c.fOff, c.rows, depth),
                            c.origin), c.expected(TfliteMath::dot4, c.x, c.xOff));
                }
            }
        }
    }

    @Test
    void blockedSeqsumMatchesEigenGemv() {
        Blocked[] kernels = {F32ConvChannelLanes::blockedSeqsum, F32ConvChannelLanes::blockedSeqsumVector,
                F32ConvChannelLanes::blockedSeqsumScalar};
        Random random = new Random(3);
        int i = 0;
        for (int channels : CHANNELS) {
            for (int depth : DEPTHS) {
                check(random, i++, "blockedSeqsum", channels, depth, channels, kernels);
            }
        }
        // Products with 8000 rows or more cut the depth into blocks of 4 (here only the first channels are computed).
        for (int depth : new int[] {127, 128, 130, 256}) check(random, i++, "blockedSeqsum", 37, depth, 8000, kernels);
    }

    private static void check(Random random, int i, String what, int channels, int depth, int productRows,
                              Blocked[] kernels) {
        Case c = new Case(random, i, channels, depth);
        int kBlock = F32ConvChannelLanes.gemvBlock(depth, productRows);
        float[] expected = c.expected((f, row, x, xOff, n) -> MatMul.blockedSeqsum(f, row, x, xOff, n, productRows), c.x, c.xOff);
        for (int k = 0; k < kernels.length; k++) {
            float[] y = guarded(channels);
            kernels[k].run(c.x, c.xOff, depth, kBlock, c.packed, c.origin, channels, c.bias, c.biasOff, c.lo, c.hi,
                    y, GUARD);
            assertOutputs(expected, y, GUARD, channels, what + " " + NAMES[k] + ", " + c + ", k block " + kBlock);
        }
    }

    @Test
    void seqsum2MatchesSequentialSumOfEachPatch() {
        TwoPatches[] kernels = { // over the whole patches
            (x0, x0Off, x1, x1Off, depth, p, pOff, ch, b, bOff, lo, hi, y, y0Off, y1Off) -> F32ConvChannelLanes.seqsum2(
                    x0, x0Off, x1, x1Off, depth, 0, depth, p, pOff, ch, b, bOff, lo, hi, y, y0Off, y1Off),
            (x0, x0Off, x1, x1Off, depth, p, pOff, ch, b, bOff, lo, hi, y, y0Off, y1Off) -> F32ConvChannelLanes
                    .seqsum2Vector(x0, x0Off, x1, x1Off, depth, 0, depth, p, pOff, ch, b, bOff, lo, hi, y, y0Off,
                            y1Off),
            (x0, x0Off, x1, x1Off, depth, p, pOff, ch, b, bOff, lo, hi, y, y0Off, y1Off) -> F32ConvChannelLanes
                    .seqsum2Scalar(x0, x0Off, x1, x1Off, depth, 0, depth, p, pOff, ch, b, bOff, lo, hi, y, y0Off,
                            y1Off)};
        Random random = new Random(4);
        int i = 0;
        for (int channels : CHANNELS) {
            for (int depth : DEPTHS) {
                Case c = new Case(random, i++, channels, depth);
                float[] x1 = randomValues(random, depth + 1);
                float[] expected0 = c.expected(TfliteMath::seqsum, c.x, c.xOff);
                float[] expected1 = c.expected(TfliteMath::seqsum, x1, 1);
                int y1Off = GUARD + channels + GUARD; // both outputs in one array, guards around each
                for (int k = 0; k < kernels.length; k++) {
                    float[] y = new float[y1Off + channels + GUARD];
                    Arrays.fill(y, Float.intBitsToFloat(GUARD_BITS));
                    kernels[k].run(c.x, c.xOff, x1, 1, depth, c.seqsumPacked, c.origin, channels, c.bias, c.biasOff,
                            c.lo, c.hi, y, GUARD, y1Off);
                    String where = "seqsum2 " + NAMES[k] + ", " + c;
                    assertBits(expected0, y, GUARD, channels, where + ", patch 0");
                    assertBits(expected1, y, y1Off, channels, where + ", patch 1");
                    for (int j = 0; j < y.length; j++) {
                        boolean output = (j >= GUARD && j < GUARD + channels) || (j >= y1Off && j < y1Off + channels);
                        if (!output && Float.floatToRawIntBits(y[j]) != GUARD_BITS) fail(where + ": wrote y[" + j + "] outside the outputs");
                    }
                }
            }
        }
    }

    private static void sweepOnePatch(String what, OnePatch[] kernels, Order order, long seed, boolean seqsumLayout) {
        System.out.println("F32ConvChannelLanesTest " + what + ": " + VectorWidth.describe());
        Random random = new Random(seed);
        int i = 0;
        for (int channels : CHANNELS) {
            for (int depth : DEPTHS) {
                Case c = new Case(random, i++, channels, depth);
                runOnePatch(what, kernels, c, seqsumLayout ? c.seqsumPacked : c.packed, c.expected(order, c.x, c.xOff));
            }
        }
    }

    /**
     * Every kernel on case {@code c} with the filter packed as {@code packed} (at the case's origin), against
     * {@code expected}.
     */
    private static void runOnePatch(String what, OnePatch[] kernels, Case c, float[] packed, float[] expected) {
        for (int k = 0; k < kernels.length; k++) {
            float[] y = guarded(c.channels);
            kernels[k].run(c.x, c.xOff, c.depth, packed, c.origin, c.channels, c.bias, c.biasOff, c.lo, c.hi, y, GUARD);
            assertOutputs(expected, y, GUARD, c.channels, what + " " + NAMES[k] + ", " + c);
        }
    }

    /**
     * One sweep point: a filter of {@code rows >= channels} rows (so computing only the leading channels of a bigger
     * packed filter is covered too), a patch at an odd offset, a bias or none and a clamp chosen by the case index.
     */
    private static final class Case {
        final int channels, depth, rows, fOff = 7, xOff = 3, biasOff = 2;
        /** Where the packed filters' data starts ({@link PanelOrigins}): every origin over the sweep, NaN around it. */
        final int origin;
        final float[] f, x, bias, packed, seqsumPacked;
        final float lo, hi;

        Case(Random random, int index, int channels, int depth) {
            this.channels = channels;
            this.depth = depth;
            this.rows = channels + (index % 5 == 4 ? 3 : 0);
            this.f = randomValues(random, fOff + rows * depth);
            this.x = randomValues(random, xOff + depth);
            this.bias = index % 3 == 2 ? null : randomValues(random, biasOff + rows);
            this.lo = CLAMPS[index % 4][0];
            this.hi = CLAMPS[index % 4][1];
            this.origin = index % PanelOrigins.COUNT;
            this.packed = atOrigin(F32ConvChannelLanes.pack(f, fOff, rows, depth), origin);
            this.seqsumPacked = atOrigin(F32ConvChannelLanes.packForSeqsum(f, fOff, rows, depth), origin);
        }

        /**
         * The packed data moved from origin 0 to {@code origin}, NaN in the room around it (a kernel reading it fails).
         */
        private static float[] atOrigin(float[] packed, int origin) {
            int length = packed.length - (PanelOrigins.COUNT - 1);
            PanelOrigins.move(packed, 0, origin, length);
            Arrays.fill(packed, 0, origin, Float.NaN);
            Arrays.fill(packed, origin + length, packed.length, Float.NaN);
            return packed;
        }

        float[] expected(Order order, float[] patch, int patchOff) {
            float[] expected = new float[channels];
            for (int o = 0; o < channels; o++) {
                float sum = order.sum(f, fOff + o * depth, patch, patchOff, depth);
                if (bias != null) sum = TfliteMath.ftz(sum + TfliteMath.ftz(bias[biasOff + o]));
                expected[o] = TfliteMath.activation(sum, lo, hi);
            }
            return expected;
        }

        @Override
        public String toString() {
            return "channels " + channels + " of " + rows + ", depth " + depth + ", origin " + origin
                    + (bias == null ? ", no bias" : ", bias")
                    + ", clamp [" + lo + ", " + hi + "]";
        }
    }

    /**
     * Signed values with magnitudes from 2^-8 up to 2^8 (no product near the subnormal range), and about one in
     * sixteen a signed zero so that exact zero sums, and their signs, occur.
     */
    static float[] randomValues(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float sign = random.nextBoolean() ? 1f : -1f;
            v[i] = random.nextInt(16) == 0 ? sign * 0f : sign * Math.scalb(1f + random.nextFloat(), random.nextInt(16) - 8);
        }
        return v;
    }

    private static float[] guarded(int n) {
        float[] y = new float[GUARD + n + GUARD];
        Arrays.fill(y, Float.intBitsToFloat(GUARD_BITS));
        return y;
    }

    private static void assertOutputs(float[] expected, float[] y, int yOff, int n, String where) {
        assertBits(expected, y, yOff, n, where);
        for (int j = 0; j < y.length; j++) {
            if ((j < yOff || j >= yOff + n) && Float.floatToRawIntBits(y[j]) != GUARD_BITS) {
                fail(where + ": wrote y[" + j + "] outside the outputs");
            }
        }
    }

    private static void assertBits(float[] expected, float[] y, int yOff, int n, String where) {
        for (int o = 0; o < n; o++) {
            int want = Float.floatToRawIntBits(expected[o]), got = Float.floatToRawIntBits(y[yOff + o]);
            if (want != got) {
                fail(where + ": channel " + o + " expected " + expected[o] + " (0x" + Integer.toHexString(want)
                        + ") but was " + y[yOff + o] + " (0x" + Integer.toHexString(got) + ")");
            }
        }
    }
}
