package org.tfl4j.conformance;

/** Distance between two floats in units in the last place, counted on their bit patterns. */
public final class Ulp {

    private Ulp() {
    }

    /**
     * How many representable floats lie between {@code a} and {@code b} (0 for {@code +0} vs {@code -0});
     * {@link Long#MAX_VALUE} if either is NaN and their bits differ, so such a NaN never passes a bound.
     */
    public static long distance(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) {
            return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b) ? 0 : Long.MAX_VALUE;
        }
        return Math.abs(ordinal(a) - ordinal(b));
    }

    /** "NaN" for {@link Long#MAX_VALUE}, else the number. */
    public static String describe(long ulp) {
        return ulp == Long.MAX_VALUE ? "NaN" : Long.toString(ulp);
    }

    /**
     * Maps the float's bits onto a line where neighbouring floats are neighbouring integers: positive floats
     * keep their bit pattern, negative ones (sign-magnitude) are mirrored below zero, and -0 lands on 0 with +0.
     */
    private static long ordinal(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : -(long) (bits & 0x7fffffff);
    }
}
