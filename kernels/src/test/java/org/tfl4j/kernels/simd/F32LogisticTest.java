package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.Logistic;
import org.tfl4j.kernels.TfliteMath;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32Logistic}: the vector kernel, its scalar twin and the dispatching eval against
 * {@link TfliteMath#logisticPacket} per element, bit for bit (NaN payloads included), for sizes 1 to 70 and a strided
 * sweep of all float bit patterns; and {@link Logistic#eval}, which hands its packet run to the kernel, against the
 * per-element packet/scalar rule for every destination phase.
 */
class F32LogisticTest {
    private static final int OFFSET = 3;

    @FunctionalInterface
    interface Kernel {
        void run(float[] x, int xOff, float[] y, int yOff, int n);
    }

    private static final String[] KERNEL_NAMES = {"eval", "evalVector", "evalScalar"};
    private static final Kernel[] KERNELS = {F32Logistic::eval, F32Logistic::evalVector, F32Logistic::evalScalar};

    @Test
    void sizesOneToSeventyMatchThePacketFormula() {
        System.out.println("F32LogisticTest: " + VectorWidth.describe());
        Random random = new Random(8_001L);
        int checked = 0;
        for (int round = 0; round < 20; round++) {
            for (int n = 1; n <= 70; n++) {
                float[] x = ActivationValues.array(random, OFFSET + n);
                for (int kernel = 0; kernel < KERNELS.length; kernel++) {
                    checked += check(KERNELS[kernel], KERNEL_NAMES[kernel], x, n);
                }
            }
        }
        System.out.println("F32LogisticTest: " + checked + " outputs at sizes 1..70");
    }

    @Test
    void everyFourThousandthBitPatternMatchesThePacketFormula() {
        int stride = 4099, n = (int) ((1L << 32) / stride) + 1;
        float[] x = new float[OFFSET + n];
        for (int i = 0; i < n; i++) x[OFFSET + i] = Float.intBitsToFloat((int) ((long) i * stride));
        for (int kernel = 0; kernel < KERNELS.length; kernel++) check(KERNELS[kernel], KERNEL_NAMES[kernel], x, n);
    }

    @Test
    void inPlaceLikeTheLstm() {
        Random random = new Random(8_002L);
        for (int n = 1; n <= 70; n++) {
            float[] x = ActivationValues.array(random, n);
            float[] y = x.clone();
            F32Logistic.eval(y, 0, y, 0, n);
            for (int i = 0; i < n; i++) assertBits(TfliteMath.logisticPacket(x[i]), y[i], "in place, n " + n + " [" + i + "]");
        }
    }

    @Test
    void logisticEvalTakesThePacketPathOnlyOnWholeAlignedPackets() {
        Random random = new Random(8_003L);
        for (int n = 1; n <= 70; n++) {
            for (int phase = 0; phase < 4; phase++) {
                float[] x = ActivationValues.array(random, OFFSET + n);
                int head = Math.min((4 - phase) & 3, n);
                int packetEnd = head + (n - head) / 4 * 4;
                float[] y = ActivationValues.guarded(OFFSET, n);
                Logistic.eval(x, OFFSET, y, OFFSET, n, phase);
                for (int i = 0; i < n; i++) {
                    float in = x[OFFSET + i];
                    float expected = i >= head && i < packetEnd ? TfliteMath.logisticPacket(in) : TfliteMath.logisticScalar(in);
                    assertBits(expected, y[OFFSET + i], "Logistic.eval n " + n + " phase " + phase + " [" + i + "] x " + ActivationValues.show(in));
                }
                assertGuards(y, n, "Logistic.eval n " + n + " phase " + phase);
            }
        }
    }

    private static int check(Kernel kernel, String name, float[] x, int n) {
        float[] y = ActivationValues.guarded(OFFSET, n);
        kernel.run(x, OFFSET, y, OFFSET, n);
        for (int i = 0; i < n; i++) {
            float in = x[OFFSET + i];
            assertBits(TfliteMath.logisticPacket(in), y[OFFSET + i], name + " n " + n + " [" + i + "] x " + ActivationValues.show(in));
        }
        assertGuards(y, n, name + " n " + n);
        return n;
    }

    static void assertBits(float expected, float actual, String where) {
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            fail(where + ": expected " + ActivationValues.show(expected) + " but got " + ActivationValues.show(actual));
        }
    }

    static void assertGuards(float[] y, int n, String where) {
        for (int i = 0; i < OFFSET; i++) {
            assertEquals(ActivationValues.GUARD_BITS, Float.floatToRawIntBits(y[i]), where + ": wrote before the output");
            assertEquals(ActivationValues.GUARD_BITS, Float.floatToRawIntBits(y[OFFSET + n + i]), where + ": wrote past the output");
        }
    }
}
