package org.tfl4j.kernels;

/**
 * SPLIT and UNPACK: cutting a tensor along one axis into equal pieces is pure data movement (TFLite 2.21's
 * split.cc / unpack.cc copy elements, so floats keep their bits: signed zeros, NaN payloads, subnormals).
 * Seen as {@code [outer, axisSize, inner]}, piece {@code k} of {@code pieceSize} positions along the axis is
 * {@code outer} runs of {@code pieceSize * inner} elements, run {@code o} starting at
 * {@code (o * axisSize + k * pieceSize) * inner}. UNPACK is the case {@code pieceSize = 1} (its dropped axis
 * changes the shape, not the elements).
 */
public final class Split {
    private Split() {}

    /**
     * Copies piece {@code piece} of an input viewed as {@code [outer, axisSize, inner]} into {@code output}.
     * {@code input} and {@code output} are arrays of the same element type.
     */
    public static void piece(Object input, int inputOffset, int outer, int axisSize, int inner, int piece,
                             int pieceSize, Object output, int outputOffset) {
        int run = pieceSize * inner;
        int src = inputOffset + piece * run;
        int dst = outputOffset;
        for (int o = 0; o < outer; o++, src += axisSize * inner, dst += run) {
            System.arraycopy(input, src, output, dst, run);
        }
    }
}
