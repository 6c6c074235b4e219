package org.tfl4j.benchmarks;

/** What the per-kernel benchmarks check in setup: a SIMD kernel and its scalar twin gave the same bits. */
final class KernelTwins {
    private KernelTwins() {}

    /** Throws, naming {@code what} and the first differing element, unless the two arrays hold the same bits. */
    static void requireSameBits(float[] vector, float[] scalar, String what) {
        for (int i = 0; i < vector.length; i++) {
            if (Float.floatToRawIntBits(vector[i]) != Float.floatToRawIntBits(scalar[i])) {
                throw new IllegalStateException(what + ": element " + i + " is " + vector[i] + " from the vector kernel, "
                        + scalar[i] + " from the scalar twin");
            }
        }
    }
}
