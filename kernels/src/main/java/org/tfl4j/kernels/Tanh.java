package org.tfl4j.kernels;

import org.tfl4j.kernels.simd.F32Tanh;

/**
 * TANH, float32 (spec 3.13): Eigen's {@code array.tanh()} over a vector. Its packet and scalar paths
 * compute the same rational in the same order, so, unlike {@link Logistic}, alignment does not matter.
 * That also holds for the LSTM, whose cell gate and cell output go through the same Eigen {@code tanh()}
 * (TFLite's ApplyActivationToVector): every element is {@link TfliteMath#tanh}.
 */
public final class Tanh {
    private Tanh() {}

    /**
     * {@code y[i] = tanh(x[i])} for {@code n} elements, by the SIMD kernel {@link F32Tanh} (its scalar twin with
     * {@code -Dtfl4j.vectorBits=0}). In place ({@code x == y}, same offsets) is allowed.
     */
    public static void eval(float[] x, int xOff, float[] y, int yOff, int n) {
        F32Tanh.eval(x, xOff, y, yOff, n);
    }
}
