package org.tfl4j.conformance.ops;

import java.util.Random;

/**
 * Seeded input values for op sweeps: ordinary numbers, and the values where float arithmetic is easy to get
 * wrong (exact ties, +0 and -0, subnormals, large magnitudes, infinities, NaN).
 */
final class SweepValues {

    /** Values every float sweep should meet somewhere (NaN and the infinities only where TFLite defines the result). */
    static final float[] SPECIAL = {
            0f, -0f, 1f, -1f, 0.5f, -0.5f,
            Float.MIN_VALUE, -Float.MIN_VALUE, 0x1.fffffcp-127f, -0x1.fffffcp-127f, // smallest and largest subnormals
            Float.MIN_NORMAL, -Float.MIN_NORMAL,
            3.0e38f, -3.0e38f, Float.MAX_VALUE, -Float.MAX_VALUE, 1e20f, -1e20f, 1e-20f, -1e-20f,
    };

    static final float[] NON_FINITE = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};

    private SweepValues() {
    }

    /** {@code n} floats uniform in [-scale, scale). */
    static float[] uniform(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextFloat() * 2 - 1) * scale;
        return v;
    }

    /** {@code n} floats, roughly a quarter of them drawn from {@link #SPECIAL}, the rest uniform in [-scale, scale). */
    static float[] withSpecials(Random random, int n, float scale) {
        float[] v = uniform(random, n, scale);
        for (int i = 0; i < n; i++) if (random.nextInt(4) == 0) v[i] = SPECIAL[random.nextInt(SPECIAL.length)];
        return v;
    }

    /** {@code n} floats from a handful of distinct values, so that exact ties are common. */
    static float[] ties(Random random, int n) {
        float[] pool = {-2f, -0.25f, 0f, 0.25f, 1f, 3f};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = pool[random.nextInt(pool.length)];
        return v;
    }

    /** {@code n} ints uniform in [lo, hi). */
    static int[] ints(Random random, int n, int lo, int hi) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = lo + random.nextInt(hi - lo);
        return v;
    }

    /** int32 values where conversions and comparisons are easy to get wrong (extremes, float rounding ties). */
    static final int[] SPECIAL_INTS = {
            0, 1, -1, 2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1,
            1 << 24, (1 << 24) + 1, (1 << 24) + 3, -(1 << 24) - 1, (1 << 30) + 64, (1 << 30) + 65, 2147483520,
    };

    /** int64 values likewise, with values beyond int32 (truncation) and beyond 2^53 (float rounding). */
    static final long[] SPECIAL_LONGS = {
            0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1,
            Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, (1L << 32) + 5, -(1L << 32) - 5, 0x1_2345_6789L,
            (1L << 53) + 1, (1L << 60) + (1L << 36), (1L << 60) + (1L << 36) + 1, -(1L << 62) - 3,
    };

    /** {@code n} ints, roughly a quarter of them from {@link #SPECIAL_INTS}, the rest uniform in [-1000, 1000). */
    static int[] intsWithSpecials(Random random, int n) {
        int[] v = ints(random, n, -1000, 1000);
        for (int i = 0; i < n; i++) if (random.nextInt(4) == 0) v[i] = SPECIAL_INTS[random.nextInt(SPECIAL_INTS.length)];
        return v;
    }

    /** {@code n} longs, roughly a quarter of them from {@link #SPECIAL_LONGS}, the rest uniform in [-1000, 1000). */
    static long[] longsWithSpecials(Random random, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(4) == 0 ? SPECIAL_LONGS[random.nextInt(SPECIAL_LONGS.length)] : random.nextInt(2000) - 1000;
        }
        return v;
    }

    /** {@code n} fair coin flips. */
    static boolean[] bools(Random random, int n) {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) v[i] = random.nextBoolean();
        return v;
    }

    /**
     * {@code n} values of one of the four I/O types ({@code float[]}, {@code int[]}, {@code long[]} or
     * {@code boolean[]}), specials and non-finite floats included: for ops that only move bits.
     */
    static Object ofType(Random random, org.tfl4j.parser.TensorType type, int n) {
        switch (type) {
            case FLOAT32: {
                float[] v = withSpecials(random, n, 100f);
                for (int i = 0; i < n; i++) if (random.nextInt(10) == 0) v[i] = NON_FINITE[random.nextInt(NON_FINITE.length)];
                return v;
            }
            case INT32: return intsWithSpecials(random, n);
            case INT64: return longsWithSpecials(random, n);
            case BOOL: return bools(random, n);
            default: throw new IllegalArgumentException("no sweep values for " + type);
        }
    }

    /** numpy's broadcast shape of two compatible shapes. */
    static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - a.length) < 0 ? 1 : a[d - (rank - a.length)];
            int db = d - (rank - b.length) < 0 ? 1 : b[d - (rank - b.length)];
            out[d] = da == 1 ? db : da;
        }
        return out;
    }

    /** The number of elements of a tensor of this shape. */
    static int count(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /**
     * {@code n} floats of random sign with magnitudes spread over 2^-8 .. 2^8, so that rounding depends on
     * the order of a sum (an accumulation order other than TFLite's changes some bits).
     */
    static float[] wideRange(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextFloat() + 0.5f) * Math.scalb(random.nextBoolean() ? 1f : -1f, random.nextInt(17) - 8);
        return v;
    }

    /** {@code n} floats that are all subnormal or ±0 (FTZ/DAZ reads them as zeros of their sign). */
    static float[] subnormals(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float f = Float.intBitsToFloat(1 + random.nextInt(0x7fffff));
            v[i] = random.nextInt(8) == 0 ? 0f : random.nextBoolean() ? f : -f;
        }
        return v;
    }
}
