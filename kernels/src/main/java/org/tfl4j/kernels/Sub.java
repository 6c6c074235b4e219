package org.tfl4j.kernels;

/**
 * SUB with numpy broadcasting and a fused activation, as TFLite 2.21: one IEEE float32 subtract (no wider
 * accumulator) under FTZ+DAZ (subnormal operands read as zeros of their sign, a subnormal result becomes a
 * signed zero), then the clamp {@code min(max(y, lo), hi)} of {@link TfliteMath#activation} (activation NONE
 * clamps to [-FLT_MAX, FLT_MAX], so an overflow to infinity ends at ±FLT_MAX; NaN passes; -0.0 stays).
 * Int32 subtract wraps (two's complement, as the C++ build does) and clamps to the int32 activation range. As
 * for {@link Mul}, which NaN's bits come out when both operands are NaN is not reproduced.
 *
 * <p>Broadcasting arrives as the row tables of {@link Mul}: {@code aOuter.length} rows of {@code inner}
 * elements; row {@code o} reads a from {@code aOffset + aOuter[o]} advancing {@code aStep}, b likewise.
 */
public final class Sub {
    private Sub() {}

    public static void float32(float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset,
                               int[] aOuter, int[] bOuter, int inner, int aStep, int bStep,
                               float activationMin, float activationMax) {
        int k = outOffset;
        for (int o = 0; o < aOuter.length; o++) {
            int ai = aOffset + aOuter[o];
            int bi = bOffset + bOuter[o];
            for (int i = 0; i < inner; i++, ai += aStep, bi += bStep) {
                float y = TfliteMath.ftz(TfliteMath.ftz(a[ai]) - TfliteMath.ftz(b[bi]));
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
                int y = a[ai] - b[bi];
                y = y < activationMin ? activationMin : y;
                out[k++] = activationMax < y ? activationMax : y;
            }
        }
    }
}
