package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32ReduceMaxLanes}: the vector kernel, its scalar twin and the dispatching eval against the running maximum
 * written out here ({@code m = x0; m = ftz(m) > ftz(x) ? ftz(m) : ftz(x)}, TFLite's optimized reduce under DAZ), bit
 * for bit, over output counts 1 to 40 and 3953, one to five reduced elements at several strides, values drawn with
 * NaN, ±0, ±inf, subnormals and ties; outputs pre-filled with NaN between guards.
 */
class F32ReduceMaxLanesTest {
    private static final int GUARD = 5;
    private static final int GUARD_BITS = 0x7fc0_4321;
    private static final float[] SPECIALS = {Float.NaN, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 3 * Float.MIN_VALUE,
            -Float.MIN_NORMAL / 2, Float.MIN_NORMAL, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f, 2.5f};

    @FunctionalInterface
    interface Kernel {
        void run(float[] x, int start, int count, int[] reducedOffsets, float[] out, int outOffset);
    }

    private static final String[] KERNEL_NAMES = {"eval", "evalVector", "evalScalar"};
    private static final Kernel[] KERNELS = {F32ReduceMaxLanes::eval, F32ReduceMaxLanes::evalVector, F32ReduceMaxLanes::evalScalar};

    @Test
    void matchesTheRunningMaximumBitForBit() {
        System.out.println("F32ReduceMaxLanesTest: " + VectorWidth.describe());
        Random random = new Random(4_2024L);
        int[] counts = new int[41];
        for (int i = 0; i < 40; i++) counts[i] = i + 1;
        counts[40] = 3953;
        int checked = 0;
        for (int count : counts) {
            for (int reduced = 1; reduced <= 5; reduced++) {
                for (int stride : new int[] {count, count + 3, 2 * count + 1}) {
                    int[] offsets = new int[reduced];
                    for (int r = 0; r < reduced; r++) offsets[r] = r * stride;
                    if (reduced > 2 && random.nextBoolean()) { // a reduction order that is not increasing
                        int t = offsets[0]; offsets[0] = offsets[reduced - 1]; offsets[reduced - 1] = t;
                    }
                    int start = 1 + random.nextInt(4);
                    float[] x = new float[start + (reduced - 1) * stride + count + 2 * stride + 1];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = random.nextInt(4) == 0 ? SPECIALS[random.nextInt(SPECIALS.length)] : (float) random.nextGaussian();
                    }
                    float[] expected = new float[count];
                    for (int o = 0; o < count; o++) expected[o] = runningMax(x, start + o, offsets);
                    for (int kernel = 0; kernel < KERNELS.length; kernel++) {
                        float[] out = new float[GUARD + count + GUARD];
                        Arrays.fill(out, Float.intBitsToFloat(GUARD_BITS));
                        Arrays.fill(out, GUARD, GUARD + count, Float.NaN);
                        KERNELS[kernel].run(x, start, count, offsets, out, GUARD);
                        String what = KERNEL_NAMES[kernel] + " count " + count + " offsets " + Arrays.toString(offsets)
                                + " start " + start;
                        for (int o = 0; o < count; o++) {
                            if (Float.floatToRawIntBits(out[GUARD + o]) != Float.floatToRawIntBits(expected[o])) {
                                StringBuilder in = new StringBuilder();
                                for (int off : offsets) in.append(' ').append(x[start + o + off]);
                                fail(what + ": output " + o + " is " + out[GUARD + o] + ", expected " + expected[o]
                                        + " (inputs" + in + ")");
                            }
                        }
                        for (int g = 0; g < GUARD; g++) {
                            if (Float.floatToRawIntBits(out[g]) != GUARD_BITS
                                    || Float.floatToRawIntBits(out[GUARD + count + g]) != GUARD_BITS) {
                                fail(what + ": wrote outside the outputs");
                            }
                        }
                        checked += count;
                    }
                }
            }
        }
        System.out.println("F32ReduceMaxLanesTest: " + checked + " outputs bit-identical");
    }

    /** TFLite's running maximum, written out independently of the kernels. */
    private static float runningMax(float[] x, int base, int[] offsets) {
        float m = x[base + offsets[0]];
        for (int r = 1; r < offsets.length; r++) {
            float current = ActivationValues.flushed(m), v = ActivationValues.flushed(x[base + offsets[r]]);
            m = current > v ? current : v;
        }
        return m;
    }
}
