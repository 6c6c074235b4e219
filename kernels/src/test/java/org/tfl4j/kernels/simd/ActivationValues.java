package org.tfl4j.kernels.simd;

import org.tfl4j.kernels.TfliteMath;

import java.util.Random;

/** Inputs for the logistic and tanh kernel tests: the whole float range, the saturation edges and the specials. */
final class ActivationValues {
    private ActivationValues() {}

    /** A quiet NaN with a payload no arithmetic produces, to pre-fill outputs so an overwrite shows. */
    static final int GUARD_BITS = 0x7fc0_1234;

    /** Values every sweep holds: zeros, subnormals, the smallest normals, infinities, NaNs and the formulas' edges. */
    static final float[] SPECIALS = specials();

    private static float[] specials() {
        float[] edges = {
            0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, Float.MIN_NORMAL, -Float.MIN_NORMAL,
            Math.nextDown(Float.MIN_NORMAL), -Math.nextDown(Float.MIN_NORMAL),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.NaN, Float.intBitsToFloat(0x7fc0_0abc), Float.intBitsToFloat(0xffc0_0001), Float.intBitsToFloat(0x7f80_0001),
            TfliteMath.LOGISTIC_PACKET_LOW, Math.nextUp(TfliteMath.LOGISTIC_PACKET_LOW), Math.nextDown(TfliteMath.LOGISTIC_PACKET_LOW),
            TfliteMath.LOGISTIC_CUTOFF, Math.nextUp(TfliteMath.LOGISTIC_CUTOFF), Math.nextDown(TfliteMath.LOGISTIC_CUTOFF),
            -87.33f, -87.34f, -87.35f, -88f, -100f, 16f, 17f, 88f, 100f,
            TfliteMath.TANH_CLAMP, -TfliteMath.TANH_CLAMP, Math.nextUp(TfliteMath.TANH_CLAMP), Math.nextDown(-TfliteMath.TANH_CLAMP),
            0.5f, -0.5f, 1f, -1f, 1e-20f, -1e-20f, 1e-5f, -1e-5f,
        };
        return edges;
    }

    /** One input: a random bit pattern, a value in the interesting range, or a special. */
    static float next(Random random) {
        switch (random.nextInt(6)) {
            case 0: return Float.intBitsToFloat(random.nextInt());                 // anything, NaN included
            case 1: return SPECIALS[random.nextInt(SPECIALS.length)];
            case 2: return (float) (random.nextDouble() * 140 - 120);              // logistic: [-120, 20]
            case 3: return (float) (random.nextDouble() * 20 - 10);                // tanh: [-10, 10]
            case 4: return (float) random.nextGaussian();
            default: return (float) (random.nextGaussian() * Math.pow(2, random.nextInt(60) - 40));
        }
    }

    static float[] array(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = next(random);
        return a;
    }

    /** {@code n} outputs after {@code offset} guards, all holding the guard NaN. */
    static float[] guarded(int offset, int n) {
        float[] y = new float[offset + n + offset];
        java.util.Arrays.fill(y, Float.intBitsToFloat(GUARD_BITS));
        return y;
    }

    /** Flush to zero written out independently of the kernels: a subnormal becomes a zero of its sign. */
    static float flushed(float v) {
        return Float.isNaN(v) || Math.abs(v) >= Float.MIN_NORMAL ? v : (Float.floatToRawIntBits(v) < 0 ? -0f : 0f);
    }

    static String show(float v) {
        return v + " (0x" + Integer.toHexString(Float.floatToRawIntBits(v)) + ")";
    }
}
