package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Facts of TFLite's float arithmetic (numerics spec) and accuracy bounds of the Eigen/glibc
 * approximations against double-precision math.
 */
class TfliteMathTest {
    private static final float TWO_24 = 16777216f; // 2^24: above it, adding 1 is a rounding tie

    static void assertBits(float expected, float actual, String what) {
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            fail(what + ": expected " + expected + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected))
                    + ") but got " + actual + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual)) + ")");
        }
    }

    /** Distance in units of the float spacing at the exact value. */
    static double ulps(float actual, double exact) {
        return Math.abs(actual - exact) / Math.ulp((float) exact);
    }

    // --- flush-to-zero, min/max, activation clamp --------------------------------------------------

    @Test
    void ftzFlushesASubnormalProductToAZeroOfTheSameSign() {
        float product = 1e-20f * 1e-20f;          // 1e-40: subnormal with Java's gradual underflow
        assertTrue(product > 0 && product < Float.MIN_NORMAL, "premise: the product is subnormal");
        assertBits(0f, TfliteMath.ftz(product), "ftz(1e-20 * 1e-20)");
        assertBits(-0f, TfliteMath.ftz(-1e-20f * 1e-20f), "ftz(-1e-20 * 1e-20)");
        assertBits(Float.MIN_NORMAL, TfliteMath.ftz(Float.MIN_NORMAL), "smallest normal stays");
        assertBits(-1.5f, TfliteMath.ftz(-1.5f), "normal stays");
        assertBits(Float.POSITIVE_INFINITY, TfliteMath.ftz(Float.POSITIVE_INFINITY), "inf stays");
        assertTrue(Float.isNaN(TfliteMath.ftz(Float.NaN)), "NaN stays");
    }

    @Test
    void stdMinMaxKeepTheFirstArgumentOnTiesAndNaN() {
        assertBits(-0f, TfliteMath.stdMax(-0f, 0f), "std::max(-0, +0)");
        assertBits(0f, TfliteMath.stdMax(0f, -0f), "std::max(+0, -0)");
        assertBits(0f, TfliteMath.stdMin(0f, -0f), "std::min(+0, -0)");
        assertTrue(Float.isNaN(TfliteMath.stdMax(Float.NaN, 1f)), "std::max(NaN, 1) is NaN");
        assertBits(1f, TfliteMath.stdMax(1f, Float.NaN), "std::max(1, NaN) is 1");
        assertBits(1f, TfliteMath.stdMin(1f, Float.NaN), "std::min(1, NaN) is 1");
        assertBits(2f, TfliteMath.stdMax(1f, 2f), "std::max(1, 2)");
        assertBits(1f, TfliteMath.stdMin(1f, 2f), "std::min(1, 2)");
    }

    @Test
    void reluClampKeepsNegativeZeroAndNaNAndCapsInfinity() {
        float max = TfliteMath.FLT_MAX;
        assertBits(-0f, TfliteMath.activation(-0f, 0f, max), "relu(-0) keeps -0 (Math.max would give +0)");
        assertBits(0f, TfliteMath.activation(-3f, 0f, max), "relu(-3)");
        assertBits(2.5f, TfliteMath.activation(2.5f, 0f, max), "relu(2.5)");
        assertTrue(Float.isNaN(TfliteMath.activation(Float.NaN, 0f, max)), "relu(NaN) is NaN");
        assertBits(max, TfliteMath.activation(Float.POSITIVE_INFINITY, 0f, max), "relu(+inf) is FLT_MAX");
        assertBits(-max, TfliteMath.activation(Float.NEGATIVE_INFINITY, -max, max), "none(-inf) is -FLT_MAX");
        assertBits(6f, TfliteMath.activation(7f, 0f, 6f), "relu6(7)");
        assertBits(-1f, TfliteMath.activation(-7f, -1f, 1f), "relu_n1_to_1(-7)");
    }

    // --- dot-product orders ------------------------------------------------------------------------

    @Test
    void dot4AndSeqsumDifferWhereTheOrderMatters() {
        float[] a = {TWO_24, 1, 1, 1, 1, 1, 1, 1};
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
        // seqsum: 2^24 + 1 is a tie and rounds to even (2^24), seven times over.
        assertBits(TWO_24, TfliteMath.seqsum(a, 0, ones, 0, 8), "seqsum");
        // dot4: lane 0 = 2^24 + 1 -> 2^24; lanes 1..3 = 2 each; (2^24 + 2) + (2 + 2) = 2^24 + 6, exact.
        assertBits(TWO_24 + 6, TfliteMath.dot4(a, 0, ones, 0, 8), "dot4");
    }

    @Test
    void dot4ReducesLanesAsZeroPlusTwoAndOnePlusThree() {
        float[] a = {TWO_24, 1, 0, 1};
        float[] ones = {1, 1, 1, 1};
        // (l0 + l2) + (l1 + l3) = 2^24 + 2; pairing (l0 + l1) first would give 2^24 + 1 -> 2^24, then 2^24.
        assertBits(TWO_24 + 2, TfliteMath.dot4(a, 0, ones, 0, 4), "dot4 lane reduction");
        assertBits(TWO_24, TfliteMath.seqsum(a, 0, ones, 0, 4), "seqsum of the same");
    }

    @Test
    void dot4AddsTheTailInOrderAfterTheLanes() {
        float[] a = {1, 1, 1, 1, TWO_24, 1, 1};
        float[] b = {1, 1, 1, 1, 1, 1, 1};
        // lanes give 4, then 4 + 2^24 exact, then +1 (tie -> 2^24 + 4), +1 (2^24 + 5 tie -> 2^24 + 4).
        assertBits(TWO_24 + 4, TfliteMath.dot4(a, 0, b, 0, 7), "dot4 with a 3-element tail");
    }

    @Test
    void dotProductsOfNegativeZeroProductsArePositiveZero() {
        float[] a = {-1, -1, -1, -1, -1};
        float[] z = {0, 0, 0, 0, 0};
        assertBits(0f, TfliteMath.dot4(a, 0, z, 0, 5), "dot4 starts its lanes at +0");
        assertBits(0f, TfliteMath.seqsum(a, 0, z, 0, 5), "seqsum starts at +0");
    }

    @Test
    void offsetsSelectTheSlices() {
        float[] a = {99, 1, 2, 3};
        float[] b = {99, 99, 4, 5, 6};
        assertBits(32f, TfliteMath.dot4(a, 1, b, 2, 3), "dot4 with offsets");
        assertBits(32f, TfliteMath.seqsum(a, 1, b, 2, 3), "seqsum with offsets");
    }

    // --- logistic ---------------------------------------------------------------------------------

    @Test
    void logisticKnownValues() {
        assertBits(0.5f, TfliteMath.logisticPacket(0f), "packet logistic(0)");
        assertBits(0.5f, TfliteMath.logisticScalar(0f), "scalar logistic(0)");
        for (float x : new float[] {-104.0001f, -200f, -1e30f, Float.NEGATIVE_INFINITY}) {
            assertBits(0f, TfliteMath.logisticPacket(x), "packet logistic(" + x + ") below -104");
        }
        // Between about -87.34 and -104 the packet formula's square e*e is subnormal and flushed: +0.
        assertBits(0f, TfliteMath.logisticPacket(-90f), "packet logistic(-90)");
        assertBits(0f, TfliteMath.logisticScalar(-90f), "scalar logistic(-90): expf is subnormal, flushed");
        assertTrue(TfliteMath.logisticPacket(-87f) >= Float.MIN_NORMAL, "packet logistic(-87) is a normal float");
        for (float x : new float[] {TfliteMath.LOGISTIC_CUTOFF, 17f, 100f, Float.POSITIVE_INFINITY}) {
            assertBits(1f, TfliteMath.logisticPacket(x), "packet logistic(" + x + ") saturates");
            assertBits(1f, TfliteMath.logisticScalar(x), "scalar logistic(" + x + ") saturates");
        }
        assertTrue(Float.isNaN(TfliteMath.logisticPacket(Float.NaN)), "packet logistic(NaN)");
    }

    @Test
    void logisticIsWithinAFewUlpsOfTheExactSigmoid() {
        // Neither path is correctly rounded. Packet: Eigen's float exp(x/2) (Cody-Waite reduction, degree-5
        // polynomial, no FMA: about 2 ulps) is squared, which doubles its relative error, then e/(e+1)
        // adds two roundings: bound 8 ulps (a sweep of every 5th float in [-87, 20] peaks at 6.3). Scalar:
        // glibc's expf (<= 0.502 ulp) and the same two roundings: bound 3 ulps (peak 2.4). A wrong constant
        // or a dropped step shows up as thousands of ulps. Below -87 the result is flushed (tested above).
        SplittableRandom rnd = new SplittableRandom(42);
        double worstPacket = 0, worstScalar = 0;
        for (int i = 0; i < 200_000; i++) {
            float x = i < 100_000 ? (float) (rnd.nextDouble() * 107 - 87) // [-87, 20]
                    : (float) (rnd.nextDouble() * 2 - 1) * (float) Math.pow(10, -rnd.nextInt(8));
            double exact = 1.0 / (1.0 + Math.exp(-(double) x));
            double p = ulps(TfliteMath.logisticPacket(x), exact);
            double s = ulps(TfliteMath.logisticScalar(x), exact);
            if (p > 8) fail("packet logistic(" + x + ") = " + TfliteMath.logisticPacket(x) + " is " + p + " ulps from " + exact);
            if (s > 3) fail("scalar logistic(" + x + ") = " + TfliteMath.logisticScalar(x) + " is " + s + " ulps from " + exact);
            worstPacket = Math.max(worstPacket, p);
            worstScalar = Math.max(worstScalar, s);
        }
        System.out.printf("logistic worst error: packet %.2f ulps, scalar %.2f ulps%n", worstPacket, worstScalar);
    }

    @Test
    void packetAndScalarLogisticRoundDifferentlyForSomeInputs() {
        // The reason Logistic must pick the path per element: the two are different functions.
        int differ = 0;
        for (int i = 0; i < 10_000; i++) {
            float x = -20f + i * 0.004f;
            if (Float.floatToRawIntBits(TfliteMath.logisticPacket(x)) != Float.floatToRawIntBits(TfliteMath.logisticScalar(x))) {
                differ++;
            }
        }
        assertTrue(differ > 0, "no input in [-20, 20) where packet and scalar logistic differ");
    }

    // --- tanh --------------------------------------------------------------------------------------

    @Test
    void tanhKnownValues() {
        assertBits(1f, TfliteMath.tanh(TfliteMath.TANH_CLAMP), "tanh at the clamp is exactly 1");
        assertBits(-1f, TfliteMath.tanh(-TfliteMath.TANH_CLAMP), "tanh at -clamp is exactly -1");
        for (float x : new float[] {7.9074f, 8f, 20f, 1e30f, Float.POSITIVE_INFINITY}) {
            assertBits(1f, TfliteMath.tanh(x), "tanh(" + x + ")");
            assertBits(-1f, TfliteMath.tanh(-x), "tanh(" + -x + ")");
        }
        assertBits(0f, TfliteMath.tanh(0f), "tanh(+0)");
        assertBits(-0f, TfliteMath.tanh(-0f), "tanh(-0)");
        assertBits(0f, TfliteMath.tanh(Float.MIN_VALUE), "DAZ: tanh(subnormal) = +0");
        assertBits(-0f, TfliteMath.tanh(-1e-40f), "DAZ: tanh(-subnormal) = -0");
        assertBits(1e-30f, TfliteMath.tanh(1e-30f), "tanh(tiny) = tiny");
        assertTrue(Float.isNaN(TfliteMath.tanh(Float.NaN)), "tanh(NaN)");
    }

    @Test
    void tanhIsWithinAFewUlpsOfTheExactTanh() {
        // Eigen's [7/6] rational without FMA: about 11 roundings of relative size <= 1/2 ulp, partly
        // cancelling: bound 8 ulps for |x| below the clamp (a sweep of every 5th float peaks at 5.8).
        // Beyond the clamp the result is exactly ±1 (tested above), 1 - tanh(7.90738964) = 4.5 ulps off.
        // Subnormal inputs are flushed (DAZ, tested above) and left out here.
        SplittableRandom rnd = new SplittableRandom(7);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float x = i < 100_000 ? (float) (rnd.nextDouble() * 2 - 1) * TfliteMath.TANH_CLAMP
                    : (float) (rnd.nextDouble() * 2 - 1) * (float) Math.pow(10, -rnd.nextInt(30));
            if (Math.abs(x) < Float.MIN_NORMAL) continue;
            double u = ulps(TfliteMath.tanh(x), Math.tanh(x));
            if (u > 8) fail("tanh(" + x + ") = " + TfliteMath.tanh(x) + " is " + u + " ulps from " + Math.tanh(x));
            worst = Math.max(worst, u);
        }
        System.out.printf("tanh worst error: %.2f ulps%n", worst);
        double saturation = (1 - Math.tanh(TfliteMath.TANH_CLAMP)) / Math.ulp(0.75f);
        assertTrue(saturation < 5, "the clamp costs " + saturation + " ulps");
    }

    // --- glibc expf --------------------------------------------------------------------------------

    @Test
    void glibcExpfTableMatchesTheSpec() {
        assertEquals(0x3ff0000000000000L, TfliteMath.exp2fTableEntry(0), "T[0] = bits(1.0)");
        assertEquals(0x3fefd9b0d3158574L, TfliteMath.exp2fTableEntry(1), "T[1] from the spec");
    }

    @Test
    void glibcExpfSpecialCases() {
        assertBits(0f, TfliteMath.glibcExpf(Float.NEGATIVE_INFINITY), "expf(-inf)");
        assertBits(Float.POSITIVE_INFINITY, TfliteMath.glibcExpf(Float.POSITIVE_INFINITY), "expf(+inf)");
        assertTrue(Float.isNaN(TfliteMath.glibcExpf(Float.NaN)), "expf(NaN)");
        assertBits(Float.POSITIVE_INFINITY, TfliteMath.glibcExpf(Math.nextUp(88.7228317f)), "expf overflows above 88.7228317");
        assertBits(0f, TfliteMath.glibcExpf(Math.nextDown(-103.972076f)), "expf underflows below -103.972076");
        assertBits(1f, TfliteMath.glibcExpf(0f), "expf(0)");
        assertBits(1f, TfliteMath.glibcExpf(-0f), "expf(-0)");
        assertBits((float) Math.E, TfliteMath.glibcExpf(1f), "expf(1)");
    }

    @Test
    void glibcExpfIsWithinItsDocumentedErrorOfExp() {
        // glibc documents expf's error as at most 0.502 ulp (round-to-nearest); Math.exp in double is far
        // more accurate than that at float resolution. Results below MIN_NORMAL are compared as absolute.
        SplittableRandom rnd = new SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (rnd.nextDouble() * 190 - 101);   // [-101, 89): normal results and overflow
            double exact = Math.exp(x);
            float r = TfliteMath.glibcExpf(x);
            if (exact > Float.MAX_VALUE) {
                assertBits(Float.POSITIVE_INFINITY, r, "expf(" + x + ")");
                continue;
            }
            double u = Math.abs(r - exact) / Math.ulp((float) Math.max(exact, Float.MIN_NORMAL));
            if (u > 0.502) fail("expf(" + x + ") = " + r + " is " + u + " ulps from " + exact);
            worst = Math.max(worst, u);
        }
        System.out.printf("glibc expf worst error: %.4f ulps%n", worst);
    }
}
