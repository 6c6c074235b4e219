package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.tfl4j.kernels.Bits.assertBits;

/** CAST conversions; the expected values are what the TFLite 2.21 runtime returned for the same inputs. */
class CastTest {
    private static final float NAN = Float.NaN;
    private static final float NEG_NAN = Float.intBitsToFloat(0xffc0_0000);
    private static final float INF = Float.POSITIVE_INFINITY;

    // Inputs probed on the runtime, and its answers.
    private static final float[] FLOATS = {NAN, NEG_NAN, 3e9f, -3e9f, 0x1p31f, -0x1p31f, -1.7f, 1.7f, -0f, 1e19f,
            -1e19f, INF, -INF, 1e-45f, 2147483520f, 9.2233715e18f};

    @Test
    void floatToInt32SaturatesAndSendsNaNToMax() {
        int[] out = new int[FLOATS.length + 2];
        Cast.float32ToInt32(FLOATS, 0, out, 1, FLOATS.length);
        int max = Integer.MAX_VALUE, min = Integer.MIN_VALUE;
        assertArrayEquals(new int[] {0, max, max, max, min, max, min, -1, 1, 0, max, min, max, min, 0, 2147483520, max, 0}, out);
    }

    @Test
    void floatToInt64IsTheX86IndefiniteValueOutOfRange() {
        long[] out = new long[FLOATS.length];
        Cast.float32ToInt64(FLOATS, 0, out, 0, FLOATS.length);
        long min = Long.MIN_VALUE;
        assertArrayEquals(new long[] {min, min, 3_000_000_000L, -3_000_000_000L, 2147483648L, -2147483648L, -1, 1, 0,
                min, min, min, min, 0, 2147483520L, 9223371487098961920L}, out);
        long[] edge = new long[2];
        Cast.float32ToInt64(new float[] {-0x1p63f, 0x1p63f}, 0, edge, 0, 2);
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MIN_VALUE}, edge);
    }

    @Test
    void toBoolIsNotEqualZeroWithSubnormalsAsZero() {
        boolean[] out = new boolean[FLOATS.length];
        Cast.float32ToBool(FLOATS, 0, out, 0, FLOATS.length);
        assertArrayEquals(new boolean[] {true, true, true, true, true, true, true, true, false, true, true, true, true,
                false, true, true}, out);
        boolean[] ints = new boolean[4];
        Cast.int32ToBool(new int[] {0, 1, -1, 2}, 0, ints, 0, 4);
        assertArrayEquals(new boolean[] {false, true, true, true}, ints);
        boolean[] longs = new boolean[2];
        Cast.int64ToBool(new long[] {0, 1L << 40}, 0, longs, 0, 2);
        assertArrayEquals(new boolean[] {false, true}, longs);
    }

    @Test
    void integersAndBools() {
        int[] narrowed = new int[4];
        Cast.int64ToInt32(new long[] {1L << 32, 1L << 31, -1, 5_000_000_000L}, 0, narrowed, 0, 4);
        assertArrayEquals(new int[] {0, Integer.MIN_VALUE, -1, 705_032_704}, narrowed);

        float[] f = new float[4];
        Cast.int32ToFloat32(new int[] {16_777_217, -16_777_217, Integer.MAX_VALUE, Integer.MIN_VALUE}, 0, f, 0, 4);
        assertBits(new float[] {16_777_216f, -16_777_216f, 0x1p31f, -0x1p31f}, f, 0, "int32 -> float");
        Cast.int64ToFloat32(new long[] {Long.MAX_VALUE, (1L << 53) + 1, -((1L << 24) + 1), 0}, 0, f, 0, 4);
        assertBits(new float[] {0x1p63f, 0x1p53f, -16_777_216f, 0f}, f, 0, "int64 -> float");

        long[] widened = new long[2];
        Cast.int32ToInt64(new int[] {-5, Integer.MAX_VALUE}, 0, widened, 0, 2);
        assertArrayEquals(new long[] {-5, Integer.MAX_VALUE}, widened);

        boolean[] b = {true, false};
        float[] bf = Bits.nans(2);
        Cast.boolToFloat32(b, 0, bf, 0, 2);
        assertBits(new float[] {1f, 0f}, bf, 0, "bool -> float gives +0.0 for false");
        int[] bi = new int[2];
        Cast.boolToInt32(b, 0, bi, 0, 2);
        assertArrayEquals(new int[] {1, 0}, bi);
        long[] bl = new long[2];
        Cast.boolToInt64(b, 0, bl, 0, 2);
        assertArrayEquals(new long[] {1, 0}, bl);
    }

    @Test
    void offsetsAreHonoured() {
        float[] in = {99f, 2.5f, -2.5f, 99f};
        int[] out = {7, 7, 7, 7};
        Cast.float32ToInt32(in, 1, out, 2, 2);
        assertArrayEquals(new int[] {7, 7, 2, -2}, out);
    }
}
