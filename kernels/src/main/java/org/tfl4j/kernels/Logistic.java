package org.tfl4j.kernels;

import org.tfl4j.kernels.simd.F32Logistic;

/**
 * LOGISTIC, float32 (spec 3.12): Eigen's {@code array.logistic()} over a vector. Eigen assigns whole
 * 4-float packets from the first 16-byte-aligned destination element on, and the elements before it and
 * after the last whole packet one by one; the two paths round differently
 * ({@link TfliteMath#logisticPacket} vs {@link TfliteMath#logisticScalar}). TFLite's tensors start on
 * 64-byte boundaries, so for the op every element but the last {@code n mod 4} takes the packet path.
 *
 * <p>The packet run goes to the SIMD kernel {@link F32Logistic} (the same bits per element, whatever the vector
 * width: the packet formula is element-wise, so Eigen's 4-float packets and wider Java vectors agree); the few
 * scalar-path elements stay scalar here.
 */
public final class Logistic {
    private Logistic() {}

    /** {@code y[i] = logistic(x[i])} for a destination that starts 16-byte aligned (a TFLite tensor). */
    public static void eval(float[] x, int xOff, float[] y, int yOff, int n) {
        eval(x, xOff, y, yOff, n, 0);
    }

    /**
     * {@code y[i] = logistic(x[i])} for a destination that starts {@code dstPhase} floats past a 16-byte
     * boundary in TFLite's memory (used for LSTM gate buffers, which sit at offsets inside a scratch tensor).
     * In place ({@code x == y}, same offsets) is allowed.
     */
    public static void eval(float[] x, int xOff, float[] y, int yOff, int n, int dstPhase) {
        int head = Math.min((4 - (dstPhase & 3)) & 3, n); // elements before the first aligned packet
        int packetEnd = head + (n - head) / 4 * 4;
        for (int i = 0; i < head; i++) y[yOff + i] = TfliteMath.logisticScalar(x[xOff + i]);
        F32Logistic.eval(x, xOff + head, y, yOff + head, packetEnd - head);
        for (int i = packetEnd; i < n; i++) y[yOff + i] = TfliteMath.logisticScalar(x[xOff + i]);
    }
}
