package org.tfl4j.kernels;

/**
 * STRIDED_SLICE as a list of runs: the output is {@code runStarts.length} runs of {@code runLength}
 * consecutive input elements, run {@code r} starting at input element {@code runStarts[r]} and
 * landing at output element {@code r * runLength}. Prepare computes the runs from begin, end,
 * strides and the masks (a run is a whole innermost output row when that row is contiguous in the
 * input, otherwise a single element). Bit copies, any primitive type.
 */
public final class StridedSlice {
    private StridedSlice() {}

    public static void copyRuns(Object input, int inputOffset, int[] runStarts, int runLength,
                                Object output, int outputOffset) {
        int dst = outputOffset;
        for (int start : runStarts) {
            System.arraycopy(input, inputOffset + start, output, dst, runLength);
            dst += runLength;
        }
    }
}
