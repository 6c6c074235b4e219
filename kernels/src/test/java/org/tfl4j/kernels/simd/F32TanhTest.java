package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.Tanh;
import org.tfl4j.kernels.TfliteMath;

import java.util.Random;

import static org.tfl4j.kernels.simd.F32LogisticTest.assertBits;
import static org.tfl4j.kernels.simd.F32LogisticTest.assertGuards;

/**
 * {@link F32Tanh} and {@link Tanh#eval}: the vector kernel, its scalar twin, the dispatching eval and the kernels'
 * array entry point against {@link TfliteMath#tanh} per element, bit for bit (NaN payloads included), for sizes 1 to
 * 70 and a strided sweep of all float bit patterns.
 */
class F32TanhTest {
    private static final int OFFSET = 3;

    @FunctionalInterface
    interface Kernel {
        void run(float[] x, int xOff, float[] y, int yOff, int n);
    }

    private static final String[] KERNEL_NAMES = {"eval", "evalVector", "evalScalar", "Tanh.eval"};
    private static final Kernel[] KERNELS = {F32Tanh::eval, F32Tanh::evalVector, F32Tanh::evalScalar, Tanh::eval};

    @Test
    void sizesOneToSeventyMatchTheScalarTanh() {
        System.out.println("F32TanhTest: " + VectorWidth.describe());
        Random random = new Random(8_101L);
        int checked = 0;
        for (int round = 0; round < 20; round++) {
            for (int n = 1; n <= 70; n++) {
                float[] x = ActivationValues.array(random, OFFSET + n);
                for (int kernel = 0; kernel < KERNELS.length; kernel++) {
                    checked += check(KERNELS[kernel], KERNEL_NAMES[kernel], x, n);
                }
            }
        }
        System.out.println("F32TanhTest: " + checked + " outputs at sizes 1..70");
    }

    @Test
    void everyFourThousandthBitPatternMatchesTheScalarTanh() {
        int stride = 4099, n = (int) ((1L << 32) / stride) + 1;
        float[] x = new float[OFFSET + n];
        for (int i = 0; i < n; i++) x[OFFSET + i] = Float.intBitsToFloat((int) ((long) i * stride));
        for (int kernel = 0; kernel < KERNELS.length; kernel++) check(KERNELS[kernel], KERNEL_NAMES[kernel], x, n);
    }

    @Test
    void inPlaceLikeTheLstm() {
        Random random = new Random(8_102L);
        for (int n = 1; n <= 70; n++) {
            float[] x = ActivationValues.array(random, n);
            float[] y = x.clone();
            Tanh.eval(y, 0, y, 0, n);
            for (int i = 0; i < n; i++) assertBits(TfliteMath.tanh(x[i]), y[i], "in place, n " + n + " [" + i + "]");
        }
    }

    private static int check(Kernel kernel, String name, float[] x, int n) {
        float[] y = ActivationValues.guarded(OFFSET, n);
        kernel.run(x, OFFSET, y, OFFSET, n);
        for (int i = 0; i < n; i++) {
            float in = x[OFFSET + i];
            assertBits(TfliteMath.tanh(in), y[OFFSET + i], name + " n " + n + " [" + i + "] x " + ActivationValues.show(in));
        }
        assertGuards(y, n, name + " n " + n);
        return n;
    }
}
