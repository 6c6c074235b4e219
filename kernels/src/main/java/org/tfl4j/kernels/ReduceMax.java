package org.tfl4j.kernels;

import java.util.Arrays;

/**
 * REDUCE_MAX as TFLite 2.21's optimized reduce computes it: a running maximum over the reduced
 * elements in row-major order, starting from the first, where a later element replaces the maximum
 * unless it is smaller: {@code m = x0; m = (m > x) ? m : x}. So ties go to the later element
 * ({@code max(-0, +0, -0)} is -0.0), and a NaN replaces the maximum and is replaced by the next
 * element: the result is NaN exactly when the last reduced element is NaN. Each step runs under
 * DAZ, so both operands are read with subnormals as signed zeros and the kept value is the read
 * one: {@code max(1e-40, -1)} is +0.0 (a single reduced element is copied untouched).
 *
 * <p>Tables as in {@link Sum}. Outputs whose inputs start at consecutive positions have a vector kernel,
 * {@link org.tfl4j.kernels.simd.F32ReduceMaxLanes}. An empty reduction gives the type's lowest value (-FLT_MAX, not
 * -infinity; {@code Integer.MIN_VALUE}).
 */
public final class ReduceMax {
    private ReduceMax() {}

    public static void float32(float[] x, int xOffset, float[] out, int outOffset,
                               int[] outerBase, int[] reducedOffsets) {
        for (int o = 0; o < outerBase.length; o++) out[outOffset + o] = float32At(x, xOffset + outerBase[o], reducedOffsets);
    }

    /** One output: the running maximum of {@code x[base + reducedOffsets[r]]} (not empty). */
    public static float float32At(float[] x, int base, int[] reducedOffsets) {
        float m = x[base + reducedOffsets[0]];
        for (int r = 1; r < reducedOffsets.length; r++) {
            float current = TfliteMath.ftz(m);
            float v = TfliteMath.ftz(x[base + reducedOffsets[r]]);
            m = current > v ? current : v;
        }
        return m;
    }

    public static void int32(int[] x, int xOffset, int[] out, int outOffset, int[] outerBase, int[] reducedOffsets) {
        for (int o = 0; o < outerBase.length; o++) {
            int base = xOffset + outerBase[o];
            int m = x[base + reducedOffsets[0]];
            for (int r = 1; r < reducedOffsets.length; r++) {
                int v = x[base + reducedOffsets[r]];
                if (v >= m) m = v;
            }
            out[outOffset + o] = m;
        }
    }

    /** The maximum over no elements: -FLT_MAX (C++ {@code numeric_limits<float>::lowest()}). */
    public static void emptyFloat32(float[] out, int outOffset, int count) {
        Arrays.fill(out, outOffset, outOffset + count, -Float.MAX_VALUE);
    }

    public static void emptyInt32(int[] out, int outOffset, int count) {
        Arrays.fill(out, outOffset, outOffset + count, Integer.MIN_VALUE);
    }
}
