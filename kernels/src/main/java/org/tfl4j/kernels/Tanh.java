package org.tfl4j.kernels;

/**
 * TANH, float32 (spec 3.13): Eigen's {@code array.tanh()} over a vector. Its packet and scalar paths
 * compute the same rational in the same order, so, unlike {@link Logistic}, alignment does not matter.
 */
public final class Tanh {
    private Tanh() {}

    /** {@code y[i] = tanh(x[i])} for {@code n} elements. */
    public static void eval(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = TfliteMath.tanh(x[xOff + i]);
    }
}
