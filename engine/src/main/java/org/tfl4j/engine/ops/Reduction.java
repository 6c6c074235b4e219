package org.tfl4j.engine.ops;

import org.tfl4j.parser.TensorType;

/**
 * The geometry of a reduction (SUM, REDUCE_MAX) over the axes given by a constant int32 tensor,
 * as the tables {@code org.tfl4j.kernels.Sum} takes: output element {@code o} (row-major over the
 * kept dimensions) reduces the input elements at {@code outerBase[o] + reducedOffsets[r]}, with
 * {@code r} running in row-major order over the reduced dimensions, which is the order TFLite's
 * optimized reduce accumulates in.
 *
 * <p>Axes may be negative (counted from the end) and repeated; an axis list may be empty (the
 * reduction is then a copy). With keep_dims the reduced dimensions stay as size 1.
 */
final class Reduction {
    final int[] outputShape;
    final int[] outerBase;
    final int[] reducedOffsets;

    private Reduction(int[] outputShape, int[] outerBase, int[] reducedOffsets) {
        this.outputShape = outputShape;
        this.outerBase = outerBase;
        this.reducedOffsets = reducedOffsets;
    }

    static Reduction of(OpContext ctx, TensorSpec input, TensorSpec axes, boolean keepDims) {
        ctx.requireType(axes, TensorType.INT32);
        int[] axisValues = IndexTables.constantInts(ctx, axes, "axes");
        if (axes.rank() > 1) throw ctx.fail("the axes " + axes + " must be a scalar or a vector");
        int rank = input.rank();
        int[] shape = input.shape();
        boolean[] reduced = new boolean[rank];
        for (int axis : axisValues) {
            int a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank) {
                throw ctx.fail("axis " + axis + " in " + axes + " is outside the " + rank + " dimensions of " + input);
            }
            reduced[a] = true;
        }

        int kept = 0;
        for (boolean r : reduced) if (!r) kept++;
        int[] strides = IndexTables.rowMajorStrides(shape);
        int[] keptSizes = new int[kept];
        int[] keptStrides = new int[kept];
        int[] reducedSizes = new int[rank - kept];
        int[] reducedStrides = new int[rank - kept];
        int[] outputShape = new int[keepDims ? rank : kept];
        for (int d = 0, k = 0, r = 0; d < rank; d++) {
            if (reduced[d]) {
                reducedSizes[r] = shape[d];
                reducedStrides[r++] = strides[d];
                if (keepDims) outputShape[d] = 1;
            } else {
                keptSizes[k] = shape[d];
                keptStrides[k] = strides[d];
                outputShape[keepDims ? d : k] = shape[d];
                k++;
            }
        }
        return new Reduction(outputShape, IndexTables.offsets(keptSizes, keptStrides),
                IndexTables.offsets(reducedSizes, reducedStrides));
    }
}
