package org.tfl4j.kernels;

/**
 * CONCATENATION along one axis. Every input is viewed as {@code [outer, slice_j]} where outer is the
 * product of the dimensions before the axis and {@code slice_j} = (its size on the axis) x (the
 * product of the dimensions after it); the output row {@code o} is input 0's row {@code o}, then
 * input 1's, and so on. Bit copies, any primitive type.
 */
public final class Concatenation {
    private Concatenation() {}

    /**
     * @param inputs       the inputs' backing arrays, all of the output's type
     * @param inputOffsets offset of each input's first element
     * @param sliceLengths elements each input contributes to one output row
     * @param outer        number of output rows
     */
    public static void concatenate(Object[] inputs, int[] inputOffsets, int[] sliceLengths, int outer,
                                   Object output, int outputOffset) {
        int dst = outputOffset;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inputs.length; j++) {
                int length = sliceLengths[j];
                System.arraycopy(inputs[j], inputOffsets[j] + o * length, output, dst, length);
                dst += length;
            }
        }
    }
}
