package org.tfl4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bitwise float assertions for kernel tests: -0.0 differs from +0.0 and NaN payloads count. */
final class Bits {
    private Bits() {}

    static void assertBits(float expected, float actual, String where) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> where + ": expected " + show(expected) + " but got " + show(actual));
    }

    static void assertBits(float[] expected, float[] actual, int actualOffset, String where) {
        for (int i = 0; i < expected.length; i++) assertBits(expected[i], actual[actualOffset + i], where + " [" + i + "]");
    }

    static String show(float v) {
        if (v == 0) return Float.floatToRawIntBits(v) < 0 ? "-0.0" : "+0.0";
        if (Float.isNaN(v)) return "NaN(0x" + Integer.toHexString(Float.floatToRawIntBits(v)) + ")";
        return Float.toString(v);
    }

    static float[] nans(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    /** A NaN with a payload, to check that copies are bitwise. */
    static final float PAYLOAD_NAN = Float.intBitsToFloat(0x7fc0_1234);
    static final float SUBNORMAL = 1e-40f;
}
