package org.tfl4j.engine.ops;

import java.util.Arrays;

/**
 * Numpy broadcasting of two operands, worked out once at prepare into the row tables that the
 * elementwise kernels take ({@code org.tfl4j.kernels.Mul}): the output is {@code aOuter.length}
 * rows of {@code inner} elements; row {@code o} reads a from {@code aOuter[o]} advancing
 * {@code aStep} (1, or 0 when a is broadcast along the innermost dimension), and b likewise.
 *
 * <p>Shapes are right-aligned; a dimension matches when equal or when one side is 1. Output
 * dimensions of size 1 are dropped and neighbouring dimensions that stay contiguous for both
 * operands are merged, so same-shape operands are one row and {@code [1,10,16] x [1,10,1]} is 10
 * rows of 16. Any rank. (TFLite 2.21 itself accepts broadcasting up to rank 6 for MUL, 5 for DIV
 * and 4 for NOT_EQUAL and aborts beyond; tfl4j computes the same numpy result at any rank.)
 */
final class Broadcast {
    final int[] outputShape;
    final int[] aOuter;
    final int[] bOuter;
    final int inner;
    final int aStep;
    final int bStep;

    private Broadcast(int[] outputShape, int[] aOuter, int[] bOuter, int inner, int aStep, int bStep) {
        this.outputShape = outputShape;
        this.aOuter = aOuter;
        this.bOuter = bOuter;
        this.inner = inner;
        this.aStep = aStep;
        this.bStep = bStep;
    }

    static Broadcast of(OpContext ctx, TensorSpec a, TensorSpec b) {
        int[] aShape = a.shape();
        int[] bShape = b.shape();
        int rank = Math.max(aShape.length, bShape.length);
        int[] out = new int[rank];
        int[] aStride = new int[rank];
        int[] bStride = new int[rank];
        int aRun = 1;
        int bRun = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int ad = dimension(aShape, d - (rank - aShape.length));
            int bd = dimension(bShape, d - (rank - bShape.length));
            if (ad == bd || bd == 1) {
                out[d] = ad;
            } else if (ad == 1) {
                out[d] = bd;
            } else {
                throw ctx.fail("cannot broadcast " + a + " with " + b + ": dimension " + d + " of the result is "
                        + ad + " in one and " + bd + " in the other");
            }
            aStride[d] = ad == 1 ? 0 : aRun; // a broadcast dimension re-reads the same elements
            bStride[d] = bd == 1 ? 0 : bRun;
            aRun *= ad;
            bRun *= bd;
        }

        // Merge from the innermost dimension outward: [size, aStride, bStride] per kept dimension.
        int[][] merged = new int[rank][];
        int count = 0;
        for (int d = rank - 1; d >= 0; d--) {
            if (out[d] == 1) continue;
            if (count > 0) {
                int[] last = merged[count - 1];
                if (aStride[d] == last[1] * last[0] && bStride[d] == last[2] * last[0]) {
                    last[0] *= out[d];
                    continue;
                }
            }
            merged[count++] = new int[] {out[d], aStride[d], bStride[d]};
        }

        if (IndexTables.elementCount(out) == 0) return new Broadcast(out, new int[0], new int[0], 0, 0, 0);
        if (count == 0) return new Broadcast(out, new int[] {0}, new int[] {0}, 1, 0, 0);
        int[] sizes = new int[count - 1];
        int[] aStrides = new int[count - 1];
        int[] bStrides = new int[count - 1];
        for (int i = 1; i < count; i++) { // outer dimensions, outermost first
            sizes[count - 1 - i] = merged[i][0];
            aStrides[count - 1 - i] = merged[i][1];
            bStrides[count - 1 - i] = merged[i][2];
        }
        return new Broadcast(out, IndexTables.offsets(sizes, aStrides), IndexTables.offsets(sizes, bStrides),
                merged[0][0], merged[0][1], merged[0][2]);
    }

    private static int dimension(int[] shape, int d) {
        return d < 0 ? 1 : shape[d];
    }

    @Override
    public String toString() {
        return "Broadcast" + Arrays.toString(outputShape) + " rows " + aOuter.length + " x " + inner
                + " steps " + aStep + "/" + bStep;
    }
}
