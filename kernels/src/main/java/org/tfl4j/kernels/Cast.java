package org.tfl4j.kernels;

/**
 * CAST among FLOAT32, INT32, INT64 and BOOL, reproducing TFLite 2.21 on x86-64 (cast.cc):
 * <ul>
 * <li>float to int32 saturates, and NaN gives {@link Integer#MAX_VALUE} (TFLite tests
 *     {@code x <= 2147483520f}, the largest float below 2^31, and otherwise returns INT32_MAX; below
 *     that, {@code max(x, -2^31)} is truncated toward zero). Java's {@code (int)} would give 0 for NaN.</li>
 * <li>float to int64 is a plain C++ {@code static_cast}, i.e. the SSE {@code cvttss2si}: truncation
 *     toward zero, and NaN, infinities and anything outside [-2^63, 2^63) give {@link Long#MIN_VALUE}
 *     (Java's {@code (long)} would saturate and give 0 for NaN).</li>
 * <li>anything to bool is {@code x != 0} (so -0.0 is false and NaN is true; a float subnormal is
 *     false, since TFLite compares under DAZ); bool to a number is 1 or 0.</li>
 * <li>int64 to int32 keeps the low 32 bits; integers to float round to nearest even (as Java).</li>
 * </ul>
 * Same-type casts are bit copies ({@link Reshape#copy}). Probed against the TFLite 2.21 runtime.
 */
public final class Cast {
    private Cast() {}

    /** nextafterf(2^31, 0): the largest float that converts to int32 without overflow. */
    private static final float LARGEST_INT32_FLOAT = 2147483520f;
    private static final float TWO_POW_63 = 0x1p63f;

    public static void float32ToInt32(float[] in, int inOffset, int[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) {
            float x = in[inOffset + i];
            // NaN fails the comparison and lands on MAX_VALUE, like TFLite.
            out[outOffset + i] = x <= LARGEST_INT32_FLOAT ? (int) (x < -0x1p31f ? -0x1p31f : x) : Integer.MAX_VALUE;
        }
    }

    public static void float32ToInt64(float[] in, int inOffset, long[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) {
            float x = in[inOffset + i];
            out[outOffset + i] = x >= -TWO_POW_63 && x < TWO_POW_63 ? (long) x : Long.MIN_VALUE;
        }
    }

    public static void float32ToBool(float[] in, int inOffset, boolean[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = TfliteMath.ftz(in[inOffset + i]) != 0f;
    }

    public static void int32ToFloat32(int[] in, int inOffset, float[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = in[inOffset + i];
    }

    public static void int32ToInt64(int[] in, int inOffset, long[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = in[inOffset + i];
    }

    public static void int32ToBool(int[] in, int inOffset, boolean[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = in[inOffset + i] != 0;
    }

    public static void int64ToFloat32(long[] in, int inOffset, float[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = in[inOffset + i];
    }

    public static void int64ToInt32(long[] in, int inOffset, int[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = (int) in[inOffset + i];
    }

    public static void int64ToBool(long[] in, int inOffset, boolean[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = in[inOffset + i] != 0;
    }

    public static void boolToFloat32(boolean[] in, int inOffset, float[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = in[inOffset + i] ? 1f : 0f;
    }

    public static void boolToInt32(boolean[] in, int inOffset, int[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = in[inOffset + i] ? 1 : 0;
    }

    public static void boolToInt64(boolean[] in, int inOffset, long[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) out[outOffset + i] = in[inOffset + i] ? 1L : 0L;
    }
}
