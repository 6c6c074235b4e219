package org.tfl4j.kernels;

/**
 * MUL with numpy broadcasting and a fused activation, as TFLite 2.21: one IEEE float32 multiply
 * (no FMA, no wider accumulator) under FTZ+DAZ (subnormal operands read as zeros of their sign, a
 * subnormal product becomes a signed zero), then the clamp {@code min(max(y, lo), hi)} with C++
 * {@code std::max}/{@code std::min} semantics ({@link TfliteMath#activation}), which keeps -0.0 (a
 * RELU of -0.0 is -0.0) and lets NaN through. Activation NONE is the clamp to [-FLT_MAX, FLT_MAX]
 * (only changes infinities), RELU [0, FLT_MAX], RELU6 [0, 6], RELU_N1_TO_1 [-1, 1]. So
 * {@code emb * 0.0f} gives -0.0 for a negative {@code emb}. Int32 multiplies wrap (two's
 * complement, as the C++ build does) and clamp to the int32 activation range. When both operands
 * are NaN, which one's bits TFLite returns depends on its code path (vector body or scalar tail);
 * that choice is not reproduced.
 *
 * <p>Broadcasting arrives as tables computed at prepare: the output is {@code aOuter.length} rows of
 * {@code inner} elements, written in order; for row {@code o}, a's elements start at
 * {@code aOffset + aOuter[o]} and advance by {@code aStep} (1, or 0 when a is broadcast along the
 * innermost dimension), and b's likewise. Same-shape inputs are one row with both steps 1.
 */
public final class Mul {
    private Mul() {}

    public static void float32(float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset,
                               int[] aOuter, int[] bOuter, int inner, int aStep, int bStep,
                               float activationMin, float activationMax) {
        int k = outOffset;
        for (int o = 0; o < aOuter.length; o++) {
            int ai = aOffset + aOuter[o];
            int bi = bOffset + bOuter[o];
            for (int i = 0; i < inner; i++, ai += aStep, bi += bStep) {
                float y = TfliteMath.ftz(TfliteMath.ftz(a[ai]) * TfliteMath.ftz(b[bi]));
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
                int y = a[ai] * b[bi];
                y = y < activationMin ? activationMin : y;
                out[k++] = activationMax < y ? activationMax : y;
            }
        }
    }
}
