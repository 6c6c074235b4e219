package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.FullyConnected;
import org.tfl4j.kernels.TfliteMath;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32GemvDot4}: the vector kernel, its scalar twin and the dispatching eval against a reference built from
 * {@link TfliteMath#dot4} and against {@link FullyConnected}'s scalar code, bit for bit, over unit and depth sweeps
 * with odd tails, with and without bias, for every activation clamp, into outputs pre-filled with NaN.
 */
class F32GemvDot4Test {
    private static final float MAX = TfliteMath.FLT_MAX;
    /** NONE, RELU, RELU_N1_TO_1, RELU6 as {lo, hi}. */
    private static final float[][] CLAMPS = {{-MAX, MAX}, {0f, MAX}, {-1f, 1f}, {0f, 6f}};
    /** A quiet NaN with a payload no arithmetic produces, so an overwrite shows even as another NaN. */
    private static final int GUARD_BITS = 0x7fc0_1234;
    private static final int GUARD = 5;

    private static final int[] UNITS = sweep(40, 3953);
    private static final int[] DEPTHS = sweep(40, 64, 256);

    private static int[] sweep(int upTo, int... extra) {
        int[] sizes = new int[upTo + extra.length];
        for (int i = 0; i < upTo; i++) sizes[i] = i + 1;
        System.arraycopy(extra, 0, sizes, upTo, extra.length);
        return sizes;
    }

    @FunctionalInterface
    interface Kernel {
        void run(float[] x, int xOff, int depth, float[] packed, int units, float[] bias, int biasOff,
                 float actMin, float actMax, float[] y, int yOff, float[] scratch);
    }

    private static final String[] KERNEL_NAMES = {"eval", "evalVector", "evalScalar"};
    private static final Kernel[] KERNELS = {F32GemvDot4::eval, F32GemvDot4::evalVector, F32GemvDot4::evalScalar};

    @Test
    void matchesDot4AndFullyConnectedBitForBit() {
        System.out.println("F32GemvDot4Test: " + VectorWidth.describe());
        Random random = new Random(20240611L);
        int cases = 0;
        for (int units : UNITS) {
            for (int depth : DEPTHS) {
                int xOff = 3, wOff = 7, biasOff = 2, yOff = GUARD;
                float[] x = randomValues(random, xOff + depth);
                float[] w = randomValues(random, wOff + units * depth);
                float[] bias = randomValues(random, biasOff + units);
                float[] packed = F32GemvDot4.pack(w, wOff, units, depth);
                for (int withBias = 0; withBias < 2; withBias++) {
                    float[] b = withBias == 1 ? bias : null;
                    for (float[] clamp : CLAMPS) {
                        float[] expected = reference(x, xOff, depth, w, wOff, units, b, biasOff, clamp[0], clamp[1]);
                        String shape = "units " + units + " depth " + depth + (b == null ? " no bias" : " bias")
                                + " clamp [" + clamp[0] + ", " + clamp[1] + "]";
                        if (units > 1) { // FullyConnected's one-row path is dot4 (a single unit is Eigen's inner product)
                            float[] fc = new float[units];
                            FullyConnected.eval(x, xOff, 1, depth, w, wOff, units, b, biasOff, clamp[0], clamp[1], fc, 0);
                            assertBits(expected, 0, fc, 0, units, "FullyConnected vs dot4 reference, " + shape);
                            float[] fcPacked = guarded(units);
                            FullyConnected.eval(x, xOff, 1, depth, w, wOff, units, FullyConnected.smallestWeight(w, wOff, units, depth),
                                    FullyConnected.packForOneRow(w, wOff, units, depth, 1), nanScratch(depth), b, biasOff,
                                    clamp[0], clamp[1],
                                    fcPacked, yOff);
                            assertBits(expected, 0, fcPacked, yOff, units, "FullyConnected on packed weights, " + shape);
                            assertGuardsIntact(fcPacked, units, "FullyConnected on packed weights, " + shape);
                        }
                        for (int kernel = 0; kernel < KERNELS.length; kernel++) {
                            float[] y = guarded(units);
                            KERNELS[kernel].run(x, xOff, depth, packed, units, b, biasOff, clamp[0], clamp[1], y, yOff,
                                    nanScratch(depth));
                            String what = KERNEL_NAMES[kernel] + ", " + shape;
                            assertBits(expected, 0, y, yOff, units, what);
                            assertGuardsIntact(y, units, what);
                            cases++;
                        }
                    }
                }
            }
        }
        System.out.println("F32GemvDot4Test: " + cases + " kernel runs bit-identical");
    }

    /** The broadcast scratch, pre-filled with NaN: whatever a kernel reads there it must have written first. */
    private static float[] nanScratch(int depth) {
        float[] scratch = new float[F32GemvDot4.scratchNeeded(depth)];
        Arrays.fill(scratch, Float.NaN);
        return scratch;
    }

    /** A scratch shorter than {@code scratchNeeded(depth)} is refused by every kernel, before anything is written. */
    @Test
    void aShortScratchIsRefused() {
        int units = 2 * VectorWidth.FLOATS.length() + 3, depth = 32; // the depth that uses a scratch
        float[] packed = new float[F32GemvDot4.packedSize(units, depth)];
        float[] x = new float[depth];
        for (Kernel kernel : KERNELS) {
            float[] y = guarded(units);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernel.run(x, 0, depth,
                    packed, units, null, 0, -MAX, MAX, y, GUARD, new float[F32GemvDot4.scratchNeeded(depth) - 1]));
            assertTrue(e.getMessage().contains("depth " + depth), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> kernel.run(x, 0, depth, packed, units, null, 0, -MAX, MAX,
                    y, GUARD, null));
            for (int o = 0; o < units; o++) {
                assertEquals(GUARD_BITS, Float.floatToRawIntBits(y[GUARD + o]), "output " + o + " written");
            }
        }
    }

    /** The vector kernel keeps partial sums in the output, so a bias overlapping it is refused, not misread. */
    @Test
    void aBiasOverlappingTheOutputIsRefused() {
        int units = 3 * VectorWidth.FLOATS.length() + 1, depth = 5;
        float[] packed = new float[F32GemvDot4.packedSize(units, depth)];
        float[] x = new float[depth];
        float[] shared = new float[2 * units];
        for (Kernel kernel : KERNELS) {
            assertThrows(IllegalArgumentException.class, () -> kernel.run(x, 0, depth, packed, units,
                    shared, 0, -MAX, MAX, shared, 0, nanScratch(depth)));
            assertThrows(IllegalArgumentException.class, () -> kernel.run(x, 0, depth, packed, units,
                    shared, units - 1, -MAX, MAX, shared, 0, nanScratch(depth)));
            kernel.run(x, 0, depth, packed, units, shared, units, -MAX, MAX, shared, 0, nanScratch(depth)); // adjacent is fine
        }
    }

    /** The bias add flushes: a subnormal bias reads as ±0 and a subnormal sum becomes ±0, in every lane. */
    @Test
    void theBiasAddFlushesSubnormals() {
        int depth = 1;
        float[] x = {1f};
        for (int units : new int[] {1, 4, 7, 8, 16, 19, 35}) {
            float[] w = new float[units];
            float[] bias = new float[units];
            for (int o = 0; o < units; o++) {
                float sign = (o & 2) == 0 ? 1f : -1f;
                w[o] = sign * 3 * Float.MIN_NORMAL;
                switch (o % 4) {
                    case 0: bias[o] = -sign * (3 * Float.MIN_NORMAL - Float.MIN_VALUE); break; // sum = ±2^-149
                    case 1: bias[o] = sign * Float.MIN_VALUE * 5; break;                      // subnormal bias
                    case 2: bias[o] = -w[o]; break;                                            // exact zero
                    default: bias[o] = sign * 2 * Float.MIN_NORMAL; break;                     // stays normal
                }
            }
            float[] packed = F32GemvDot4.pack(w, 0, units, depth);
            float[] expected = reference(x, 0, depth, w, 0, units, bias, 0, -MAX, MAX);
            for (int o = 0; o < units; o++) {
                if (o % 4 == 0) assertEquals(0f, Math.abs(expected[o]), "reference unit " + o + ": sum flushed");
                if (o % 4 == 1) assertEquals(w[o], expected[o], "reference unit " + o + ": bias read as zero");
            }
            for (int kernel = 0; kernel < KERNELS.length; kernel++) {
                float[] y = guarded(units);
                KERNELS[kernel].run(x, 0, depth, packed, units, bias, 0, -MAX, MAX, y, GUARD, nanScratch(depth));
                String what = KERNEL_NAMES[kernel] + " flushing bias add, units " + units;
                assertBits(expected, 0, y, GUARD, units, what);
                assertGuardsIntact(y, units, what);
            }
        }
    }

    /**
     * Without bias and activation the vector kernel skips its clamp pass only when no sum can overflow; sums that do
     * overflow still become ±FLT_MAX (hand-computed: 4 products of ±3e38 * 2 are ±inf), and so do sums of an
     * infinite input.
     */
    @Test
    void sumsThatOverflowAreStillClampedWithoutBiasOrActivation() {
        int depth = 4;
        for (int units : new int[] {2, 8, 17, 33}) {
            float[] w = new float[units * depth];
            for (int o = 0; o < units; o++) Arrays.fill(w, o * depth, (o + 1) * depth, (o & 1) == 0 ? 3e38f : -3e38f);
            float[] packed = F32GemvDot4.pack(w, 0, units, depth);
            for (float[] x : new float[][] {{2f, 2f, 2f, 2f}, {Float.POSITIVE_INFINITY, 0.5f, 0.5f, 0.5f}}) {
                for (int kernel = 0; kernel < KERNELS.length; kernel++) {
                    float[] y = guarded(units);
                    KERNELS[kernel].run(x, 0, depth, packed, units, null, 0, -MAX, MAX, y, GUARD, nanScratch(depth));
                    for (int o = 0; o < units; o++) {
                        float expected = (o & 1) == 0 ? MAX : -MAX;
                        assertEquals(expected, y[GUARD + o], KERNEL_NAMES[kernel] + " units " + units + " x[0] " + x[0]
                                + ": unit " + o);
                    }
                    assertGuardsIntact(y, units, KERNEL_NAMES[kernel] + " overflow");
                }
            }
        }
    }

    /** The clamp keeps C++'s comparisons: NaN and -0 pass, +inf becomes FLT_MAX under RELU. */
    @Test
    void theClampTreatsNanZeroAndInfinityAsTflite() {
        float[] specials = {Float.NaN, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -2f, 0.5f, 7f};
        int units = specials.length * 3;
        float[] w = new float[units];
        for (int o = 0; o < units; o++) w[o] = specials[o % specials.length];
        float[] x = {1f};
        float[] packed = F32GemvDot4.pack(w, 0, units, 1);
        float[] bias = new float[units];
        Arrays.fill(bias, -0f);
        for (float[] clamp : CLAMPS) {
            for (float[] b : new float[][] {null, bias}) {
                float[] expected = reference(x, 0, 1, w, 0, units, b, 0, clamp[0], clamp[1]);
                for (int kernel = 0; kernel < KERNELS.length; kernel++) {
                    float[] y = guarded(units);
                    KERNELS[kernel].run(x, 0, 1, packed, units, b, 0, clamp[0], clamp[1], y, GUARD, nanScratch(1));
                    String what = KERNEL_NAMES[kernel] + " specials, clamp [" + clamp[0] + ", " + clamp[1] + "]"
                            + (b == null ? " no bias" : " bias -0");
                    for (int o = 0; o < units; o++) {
                        boolean bothNan = Float.isNaN(expected[o]) && Float.isNaN(y[GUARD + o]);
                        if (!bothNan && Float.floatToRawIntBits(expected[o]) != Float.floatToRawIntBits(y[GUARD + o])) {
                            fail(what + ": unit " + o + " expected " + expected[o] + " got " + y[GUARD + o]);
                        }
                    }
                    assertGuardsIntact(y, units, what);
                }
            }
        }
    }

    /**
     * Weights moved to any origin ({@link PanelOrigins#move}) give the dot4 reference's bits, through every kernel and
     * through FullyConnected: every layout (depth 16 and 32 by residue, the general one), whole and partial blocks. The
     * room around the data holds NaN, so a kernel that reads outside the moved data shows.
     */
    @Test
    void everyOriginGivesTheSameBits() {
        Random random = new Random(99);
        int lanes = VectorWidth.FLOATS.length();
        for (int units : new int[] {2, lanes, 2 * lanes + 3, 5 * lanes}) {
            for (int depth : new int[] {5, 16, 32, 64, 256}) {
                float[] x = randomValues(random, depth);
                float[] w = randomValues(random, units * depth);
                float[] bias = randomValues(random, units);
                float[] expected = reference(x, 0, depth, w, 0, units, bias, 0, 0f, MAX);
                float[] atZero = F32GemvDot4.pack(w, 0, units, depth);
                int data = F32GemvDot4.dataSize(units, depth);
                for (int origin = 0; origin < PanelOrigins.COUNT; origin++) {
                    float[] packed = atZero.clone();
                    PanelOrigins.move(packed, 0, origin, data);
                    Arrays.fill(packed, 0, origin, Float.NaN);
                    Arrays.fill(packed, origin + data, packed.length - 1, Float.NaN); // the last float stays
                    String shape = "units " + units + " depth " + depth + " origin " + origin;
                    for (int kernel = 0; kernel < 3; kernel++) {
                        float[] y = guarded(units);
                        float[] scratch = nanScratch(depth);
                        switch (kernel) {
                            case 0: F32GemvDot4.eval(x, 0, depth, packed, origin, units, bias, 0, 0f, MAX, y, GUARD, scratch); break;
                            case 1: F32GemvDot4.evalVector(x, 0, depth, packed, origin, units, bias, 0, 0f, MAX, y, GUARD, scratch);
                                break;
                            default: F32GemvDot4.evalScalar(x, 0, depth, packed, origin, units, bias, 0, 0f, MAX, y, GUARD, scratch);
                        }
                        assertBits(expected, 0, y, GUARD, units, KERNEL_NAMES[kernel] + ", " + shape);
                        assertGuardsIntact(y, units, KERNEL_NAMES[kernel] + ", " + shape);
                    }
                    float[] fc = guarded(units);
                    FullyConnected.eval(x, 0, 1, depth, w, 0, units, FullyConnected.smallestWeight(w, 0, units, depth),
                            packed, origin, nanScratch(depth), bias, 0, 0f, MAX, fc, GUARD);
                    assertBits(expected, 0, fc, GUARD, units, "FullyConnected, " + shape);
                }
            }
        }
    }

    @Test
    void packedLayoutAndSize() {
        int lanes = VectorWidth.FLOATS.length();
        int room = PanelOrigins.COUNT - 1;
        assertEquals(lanes * 5 + room + 1, F32GemvDot4.packedSize(1, 5));
        assertEquals(2 * lanes * 3 + room + 1, F32GemvDot4.packedSize(lanes + 1, 3));
        assertEquals(2 * lanes * 3, F32GemvDot4.dataSize(lanes + 1, 3));
        int units = lanes + 2, depth = 3;
        float[] w = new float[units * depth];
        for (int i = 0; i < w.length; i++) w[i] = i + 1;
        float[] packed = F32GemvDot4.pack(w, 0, units, depth);
        for (int o = 0; o < units; o++) {
            for (int k = 0; k < depth; k++) {
                assertEquals(w[o * depth + k], packed[(o / lanes) * depth * lanes + k * lanes + o % lanes], "(" + o + ", " + k + ")");
            }
        }
        for (int k = 0; k < depth; k++) {
            for (int lane = units % lanes; lane < lanes; lane++) {
                assertEquals(0f, packed[lanes * depth + k * lanes + lane], "padding lane " + lane + " k " + k);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> F32GemvDot4.pack(w, 0, units, depth, new float[3]));
    }

    /** dot4 per unit, then TFLite's bias add (flushing) and clamp: the existing exact scalar arithmetic. */
    private static float[] reference(float[] x, int xOff, int depth, float[] w, int wOff, int units,
                                     float[] bias, int biasOff, float lo, float hi) {
        float[] y = new float[units];
        for (int o = 0; o < units; o++) {
            float v = TfliteMath.dot4(w, wOff + o * depth, x, xOff, depth);
            if (bias != null) v = TfliteMath.ftz(v + TfliteMath.ftz(bias[biasOff + o]));
            y[o] = TfliteMath.activation(v, lo, hi);
        }
        return y;
    }

    /** Signed values of magnitude 2^-8 .. 2^8 with full mantissas (so the order of the sums matters), some zeros. */
    private static float[] randomValues(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            if (random.nextInt(32) == 0) {
                v[i] = random.nextBoolean() ? 0f : -0f;
                continue;
            }
            float magnitude = (float) Math.scalb(1.0 + random.nextDouble(), random.nextInt(16) - 8);
            v[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return v;
    }

    /** An output of {@code units} at offset GUARD with GUARD floats either side, all the guard NaN. */
    private static float[] guarded(int units) {
        float[] y = new float[GUARD + units + GUARD];
        Arrays.fill(y, Float.intBitsToFloat(GUARD_BITS));
        return y;
    }

    private static void assertGuardsIntact(float[] y, int units, String what) {
        for (int i = 0; i < y.length; i++) {
            if (i >= GUARD && i < GUARD + units) continue;
            if (Float.floatToRawIntBits(y[i]) != GUARD_BITS) {
                fail(what + ": wrote outside the output at index " + (i - GUARD) + " (units " + units + "): " + y[i]);
            }
        }
    }

    private static void assertBits(float[] expected, int eOff, float[] actual, int aOff, int n, String what) {
        for (int i = 0; i < n; i++) {
            int e = Float.floatToRawIntBits(expected[eOff + i]), a = Float.floatToRawIntBits(actual[aOff + i]);
            if (e != a) {
                fail(what + ": unit " + i + " expected " + expected[eOff + i] + " (0x" + Integer.toHexString(e)
                        + ") got " + actual[aOff + i] + " (0x" + Integer.toHexString(a) + ")");
            }
        }
    }
}
