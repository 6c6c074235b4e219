package org.tfl4j.kernels;

import java.util.Arrays;

/**
 * SUM as TFLite 2.21's optimized reduce computes it: for every output element, the reduced input
 * elements are added one by one in the input's row-major order, starting from the first element
 * itself (no +0.0 seed, so a sum of only -0.0 is -0.0): {@code s = x0; s = s + x1; ...}. Each
 * {@code +} rounds to float32 under FTZ+DAZ (subnormal operands read as signed zeros, a subnormal
 * sum flushes; a single reduced element is copied untouched). Several axes at once use the same
 * row-major order over the reduced coordinates (probed against the runtime with
 * cancellation-sensitive data). Int32 sums wrap. NaN: a NaN result is NaN, but when two NaNs
 * meet, which one's bits survive depends on TFLite's code path (its vectorised loops put the input
 * first, its scalar loop the accumulator) and is not reproduced.
 *
 * <p>Geometry arrives as tables: output element {@code o} reduces the input elements at
 * {@code outerBase[o] + reducedOffsets[r]}, {@code r} in order. At least one reduced offset is
 * required; an empty reduction (a reduced dimension of size 0) fills the output with 0 instead.
 */
public final class Sum {
    private Sum() {}

    public static void float32(float[] x, int xOffset, float[] out, int outOffset,
                               int[] outerBase, int[] reducedOffsets) {
        for (int o = 0; o < outerBase.length; o++) {
            int base = xOffset + outerBase[o];
            float s = x[base + reducedOffsets[0]];
            for (int r = 1; r < reducedOffsets.length; r++) {
                s = TfliteMath.ftz(TfliteMath.ftz(s) + TfliteMath.ftz(x[base + reducedOffsets[r]]));
            }
            out[outOffset + o] = s;
        }
    }

    public static void int32(int[] x, int xOffset, int[] out, int outOffset, int[] outerBase, int[] reducedOffsets) {
        for (int o = 0; o < outerBase.length; o++) {
            int base = xOffset + outerBase[o];
            int s = x[base + reducedOffsets[0]];
            for (int r = 1; r < reducedOffsets.length; r++) s += x[base + reducedOffsets[r]];
            out[outOffset + o] = s;
        }
    }

    /** The sum over no elements: +0.0. */
    public static void emptyFloat32(float[] out, int outOffset, int count) {
        Arrays.fill(out, outOffset, outOffset + count, 0f);
    }

    public static void emptyInt32(int[] out, int outOffset, int count) {
        Arrays.fill(out, outOffset, outOffset + count, 0);
    }
}
