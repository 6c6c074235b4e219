package org.tfl4j.kernels;

/**
 * RESHAPE: elements keep their row-major order, only the shape changes, so the output is a copy
 * of the input. Works for any primitive array type; the copy is bitwise (-0 and NaN payloads survive).
 */
public final class Reshape {
    private Reshape() {}

    /** Copies {@code count} elements from {@code input} to {@code output} (arrays of the same primitive type). */
    public static void copy(Object input, int inputOffset, Object output, int outputOffset, int count) {
        System.arraycopy(input, inputOffset, output, outputOffset, count);
    }
}
