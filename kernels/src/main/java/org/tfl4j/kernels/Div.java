package org.tfl4j.kernels;

/**
 * DIV with numpy broadcasting and a fused activation, as TFLite 2.21: one true IEEE float32
 * division (no reciprocal approximation) under FTZ+DAZ (a subnormal operand reads as a signed zero,
 * a subnormal quotient flushes), then the activation clamp of {@link Mul} (C++ min/max semantics).
 * With activation NONE, {@code x/0} becomes ±FLT_MAX (the clamp of ±inf), {@code 0/0} stays NaN and
 * {@code -0.0/1} stays -0.0.
 *
 * <p>Int32 divides truncate toward zero (C++ and Java agree) and clamp to the activation range.
 * TFLite fails the invocation when any element of the divisor is 0, before dividing: check with
 * {@link #firstZero} first. ({@code MIN_VALUE / -1}, which traps in C++ on x86, gives
 * {@code MIN_VALUE} here.)
 *
 * <p>Broadcasting tables as in {@link Mul}.
 */
public final class Div {
    private Div() {}

    public static void float32(float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset,
                               int[] aOuter, int[] bOuter, int inner, int aStep, int bStep,
                               float activationMin, float activationMax) {
        int k = outOffset;
        for (int o = 0; o < aOuter.length; o++) {
            int ai = aOffset + aOuter[o];
            int bi = bOffset + bOuter[o];
            for (int i = 0; i < inner; i++, ai += aStep, bi += bStep) {
                float y = TfliteMath.ftz(TfliteMath.ftz(a[ai]) / TfliteMath.ftz(b[bi]));
                out[k++] = TfliteMath.activation(y, activationMin, activationMax);
            }
        }
    }

    public static void int32(int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset,
                             int[] aOuter, int[] bOuter, int inner, int aStep, int bStep,
                             int activationMin, int activationMax) {
        int k = outOffset;
        for (int o = 0; o < aOuter.length; o++) {
            int ai = aOffset + aOuter[o];
            int bi = bOffset + bOuter[o];
            for (int i = 0; i < inner; i++, ai += aStep, bi += bStep) {
                int y = a[ai] / b[bi];
                y = y < activationMin ? activationMin : y;
                out[k++] = activationMax < y ? activationMax : y;
            }
        }
    }

    /** Position of the first zero among {@code count} divisors, or -1 when there is none. */
    public static int firstZero(int[] divisor, int offset, int count) {
        for (int i = 0; i < count; i++) {
            if (divisor[offset + i] == 0) return i;
        }
        return -1;
    }
}
