package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32SmallestMagnitude}: the vector kernel, its scalar twin and the dispatch against a loop written here, bit
 * for bit, over lengths 0 to 100 and 511 to 513 at offsets, with zeros of both signs, subnormals, NaNs, infinities
 * and rows of nothing but zeros and NaNs (+infinity). Prints the case on failure.
 */
class F32SmallestMagnitudeTest {
    private static final float[] SPECIALS = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-39f, Float.MIN_NORMAL,
        Float.NaN, Float.intBitsToFloat(0xffc0_0001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, 1f, -3f};

    @FunctionalInterface
    interface Kernel {
        float run(float[] v, int off, int n);
    }

    private static final String[] NAMES = {"nonZero", "nonZeroVector", "nonZeroScalar"};
    private static final Kernel[] KERNELS = {F32SmallestMagnitude::nonZero, F32SmallestMagnitude::nonZeroVector,
        F32SmallestMagnitude::nonZeroScalar};

    @Test
    void smallestNonZeroMagnitudeAsTheLoop() {
        System.out.println("F32SmallestMagnitudeTest: " + VectorWidth.describe());
        Random random = new Random(3_141L);
        int[] lengths = new int[104];
        for (int i = 0; i <= 100; i++) lengths[i] = i;
        lengths[101] = 511;
        lengths[102] = 512;
        lengths[103] = 513;
        for (int n : lengths) {
            for (int trial = 0; trial < 12; trial++) {
                int off = random.nextInt(5);
                float[] v = new float[off + n + 3];
                Arrays.fill(v, Float.MIN_VALUE); // outside the range: never the answer
                for (int i = 0; i < n; i++) {
                    int kind = random.nextInt(trial % 4 == 0 ? 2 : 6);
                    v[off + i] = trial % 6 == 5 ? (random.nextBoolean() ? 0f : Float.NaN)       // nothing counts
                            : kind == 0 ? SPECIALS[random.nextInt(SPECIALS.length)]
                            : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(60) - 30));
                }
                float expected = Float.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float a = Math.abs(v[off + i]);
                    if (a != 0f && !Float.isNaN(a)) expected = Math.min(expected, a);
                }
                for (int k = 0; k < KERNELS.length; k++) {
                    float actual = KERNELS[k].run(v, off, n);
                    if (Float.floatToRawIntBits(actual) != Float.floatToRawIntBits(expected)) {
                        fail(NAMES[k] + ", " + VectorWidth.describe() + ", n " + n + " off " + off + ": " + actual + ", expected "
                                + expected + " in " + Arrays.toString(Arrays.copyOfRange(v, off, off + n)));
                    }
                }
            }
        }
    }
}
