package org.tfl4j.kernels;

/**
 * LESS with numpy broadcasting: {@code out = a < b}. Floats compare as IEEE values, as C++ does ({@code -0.0 < 0.0}
 * is false, any comparison with NaN is false), and under DAZ as TFLite runs: a subnormal reads as a zero of its
 * sign, so {@code -1e-40f < 1e-40f} is false. Integers compare signed.
 *
 * <p>Broadcasting arrives precomputed (see {@code Mul}): the output is {@code aOuter.length} rows of {@code inner}
 * elements; row {@code o} reads a from {@code aOuter[o]} stepping {@code aStep} (1, or 0 for a broadcast innermost
 * dimension) and b likewise.
 */
public final class Less {
    private Less() {}

    public static void float32(float[] a, int aOffset, float[] b, int bOffset, boolean[] out, int outOffset,
                               int[] aOuter, int[] bOuter, int inner, int aStep, int bStep) {
        int k = outOffset;
        for (int o = 0; o < aOuter.length; o++) {
            int ai = aOffset + aOuter[o];
            int bi = bOffset + bOuter[o];
            for (int i = 0; i < inner; i++, ai += aStep, bi += bStep) {
                out[k++] = TfliteMath.ftz(a[ai]) < TfliteMath.ftz(b[bi]);
            }
        }
    }

    public static void int32(int[] a, int aOffset, int[] b, int bOffset, boolean[] out, int outOffset,
                             int[] aOuter, int[] bOuter, int inner, int aStep, int bStep) {
        int k = outOffset;
        for (int o = 0; o < aOuter.length; o++) {
            int ai = aOffset + aOuter[o];
            int bi = bOffset + bOuter[o];
            for (int i = 0; i < inner; i++, ai += aStep, bi += bStep) out[k++] = a[ai] < b[bi];
        }
    }

    public static void int64(long[] a, int aOffset, long[] b, int bOffset, boolean[] out, int outOffset,
                             int[] aOuter, int[] bOuter, int inner, int aStep, int bStep) {
        int k = outOffset;
        for (int o = 0; o < aOuter.length; o++) {
            int ai = aOffset + aOuter[o];
            int bi = bOffset + bOuter[o];
            for (int i = 0; i < inner; i++, ai += aStep, bi += bStep) out[k++] = a[ai] < b[bi];
        }
    }
}
