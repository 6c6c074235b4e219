package org.tfl4j.kernels;

/**
 * SELECT (version 1): {@code out = cond ? x : y}, as bit copies (the sign of zero and NaN payloads
 * are kept). Either element by element (condition, x and y of one shape), or row by row: a rank-1
 * condition picks whole rows of x or y along their first dimension (a scalar condition is the
 * one-row case and picks the whole tensor).
 */
public final class Select {
    private Select() {}

    public static void float32(boolean[] cond, int condOffset, float[] x, int xOffset, float[] y, int yOffset,
                               float[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) {
            out[outOffset + i] = cond[condOffset + i] ? x[xOffset + i] : y[yOffset + i];
        }
    }

    public static void int32(boolean[] cond, int condOffset, int[] x, int xOffset, int[] y, int yOffset,
                             int[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) {
            out[outOffset + i] = cond[condOffset + i] ? x[xOffset + i] : y[yOffset + i];
        }
    }

    public static void int64(boolean[] cond, int condOffset, long[] x, int xOffset, long[] y, int yOffset,
                             long[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) {
            out[outOffset + i] = cond[condOffset + i] ? x[xOffset + i] : y[yOffset + i];
        }
    }

    public static void bool(boolean[] cond, int condOffset, boolean[] x, int xOffset, boolean[] y, int yOffset,
                            boolean[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) {
            out[outOffset + i] = cond[condOffset + i] ? x[xOffset + i] : y[yOffset + i];
        }
    }

    /**
     * Row {@code r} of the output ({@code rowLength} elements) is row {@code r} of x when
     * {@code cond[r]}, else row {@code r} of y. x, y and out are arrays of one primitive type.
     */
    public static void rows(boolean[] cond, int condOffset, int rows, Object x, int xOffset, Object y, int yOffset,
                            Object out, int outOffset, int rowLength) {
        for (int r = 0; r < rows; r++) {
            int at = r * rowLength;
            if (cond[condOffset + r]) {
                System.arraycopy(x, xOffset + at, out, outOffset + at, rowLength);
            } else {
                System.arraycopy(y, yOffset + at, out, outOffset + at, rowLength);
            }
        }
    }
}
