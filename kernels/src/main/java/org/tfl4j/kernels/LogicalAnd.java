package org.tfl4j.kernels;

/**
 * LOGICAL_AND of two bool tensors with numpy broadcasting: {@code out = a && b}. Broadcasting arrives precomputed
 * (see {@code Mul}): {@code aOuter.length} rows of {@code inner} elements, each operand stepping 1 or 0.
 */
public final class LogicalAnd {
    private LogicalAnd() {}

    public static void bool(boolean[] a, int aOffset, boolean[] b, int bOffset, boolean[] out, int outOffset,
                            int[] aOuter, int[] bOuter, int inner, int aStep, int bStep) {
        int k = outOffset;
        for (int o = 0; o < aOuter.length; o++) {
            int ai = aOffset + aOuter[o];
            int bi = bOffset + bOuter[o];
            for (int i = 0; i < inner; i++, ai += aStep, bi += bStep) out[k++] = a[ai] & b[bi];
        }
    }
}
