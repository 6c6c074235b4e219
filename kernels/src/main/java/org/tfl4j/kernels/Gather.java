package org.tfl4j.kernels;

/**
 * GATHER with TFLite's geometry. The params tensor is viewed as {@code [batches, outer, axisSize, inner]}
 * (batches = the batch_dims leading dimensions, outer = the dimensions between them and the axis,
 * inner = the dimensions after the axis) and the indices as {@code [batches, coords]}; the output is
 * {@code [batches, outer, coords, inner]}:
 * <pre>out[b][o][i][:] = params[b][o][indices[b][i]][:]</pre>
 * Rows are bit copies, for any primitive params type. Indices must be checked with
 * {@code firstOutOfRange} before {@code gather}: TFLite fails the whole invocation on a bad index
 * before writing anything.
 */
public final class Gather {
    private Gather() {}

    /** Position of the first index outside {@code [0, axisSize)}, or -1 when all are valid. */
    public static int firstOutOfRange(int[] indices, int indicesOffset, int count, int axisSize) {
        for (int i = 0; i < count; i++) {
            int index = indices[indicesOffset + i];
            if (index < 0 || index >= axisSize) return i;
        }
        return -1;
    }

    /** Position of the first index outside {@code [0, axisSize)}, or -1 when all are valid. */
    public static int firstOutOfRange(long[] indices, int indicesOffset, int count, int axisSize) {
        for (int i = 0; i < count; i++) {
            long index = indices[indicesOffset + i];
            if (index < 0 || index >= axisSize) return i;
        }
        return -1;
    }

    /** Gathers with int32 indices, all already known to lie in {@code [0, axisSize)}. */
    public static void gather(Object params, int paramsOffset, int[] indices, int indicesOffset,
                              Object output, int outputOffset,
                              int batches, int outer, int axisSize, int coords, int inner) {
        int dst = outputOffset;
        for (int b = 0; b < batches; b++) {
            int batchIndices = indicesOffset + b * coords;
            for (int o = 0; o < outer; o++) {
                int slab = paramsOffset + (b * outer + o) * axisSize * inner; // params[b][o]
                for (int i = 0; i < coords; i++) {
                    System.arraycopy(params, slab + indices[batchIndices + i] * inner, output, dst, inner);
                    dst += inner;
                }
            }
        }
    }

    /** Gathers with int64 indices, all already known to lie in {@code [0, axisSize)}. */
    public static void gather(Object params, int paramsOffset, long[] indices, int indicesOffset,
                              Object output, int outputOffset,
                              int batches, int outer, int axisSize, int coords, int inner) {
        int dst = outputOffset;
        for (int b = 0; b < batches; b++) {
            int batchIndices = indicesOffset + b * coords;
            for (int o = 0; o < outer; o++) {
                int slab = paramsOffset + (b * outer + o) * axisSize * inner;
                for (int i = 0; i < coords; i++) {
                    System.arraycopy(params, slab + (int) indices[batchIndices + i] * inner, output, dst, inner);
                    dst += inner;
                }
            }
        }
    }
}
