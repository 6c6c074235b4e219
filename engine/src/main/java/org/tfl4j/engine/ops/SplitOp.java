package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Split;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

/**
 * SPLIT (input 0 the axis, an int32 scalar or one-element constant; input 1 the tensor): {@code num_splits}
 * equal pieces along the axis, a negative axis counting from the end, as TFLite 2.21's split.cc (which
 * requires the axis size to be a multiple of {@code num_splits} and one output per piece). Element types
 * float32 and int32; elements are copied (see {@link Split}). A non-constant axis, which TFLite resolves at
 * run time, is refused at load.
 */
final class SplitOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        int pieces = ctx.options(OpOptions.Split.class).numSplits();
        if (pieces < 1) throw ctx.fail("num_splits " + pieces + " must be at least 1");
        ctx.requireArity(2, 2, pieces);
        TensorSpec axisTensor = ctx.requireInput(0);
        TensorSpec in = ctx.requireInput(1);
        ctx.requireType(axisTensor, TensorType.INT32);
        if (axisTensor.elementCount() != 1) throw ctx.fail("axis " + axisTensor + " must hold one value");
        int[] axisValue = IndexTables.constantInts(ctx, axisTensor, "axis");
        ctx.requireType(in, TensorType.FLOAT32, TensorType.INT32);
        int[] shape = in.shape();
        int axis = axisValue[0] < 0 ? axisValue[0] + shape.length : axisValue[0];
        if (axis < 0 || axis >= shape.length) {
            throw ctx.fail("axis " + axisValue[0] + " is outside the " + shape.length + " dimensions of " + in);
        }
        if (shape[axis] % pieces != 0) {
            throw ctx.fail("dimension " + axis + " of " + in + " (" + shape[axis] + ") does not split into "
                    + pieces + " equal pieces");
        }
        int[] pieceShape = shape.clone();
        pieceShape[axis] = shape[axis] / pieces;
        for (int k = 0; k < pieces; k++) {
            ctx.requireType(ctx.output(k), in.type());
            ctx.requireOutputShape(k, pieceShape);
        }
        int outer = IndexTables.elementCount(java.util.Arrays.copyOf(shape, axis));
        int inner = IndexTables.elementCount(java.util.Arrays.copyOfRange(shape, axis + 1, shape.length));
        int axisSize = shape[axis];
        int pieceSize = pieceShape[axis];
        TensorSpec[] outs = new TensorSpec[pieces];
        for (int k = 0; k < pieces; k++) outs[k] = ctx.output(k);
        return buffers -> {
            Object src = buffers.array(in);
            int so = buffers.offset(in);
            Object[] dst = new Object[pieces];
            int[] dOff = new int[pieces];
            for (int k = 0; k < pieces; k++) {
                dst[k] = buffers.array(outs[k]);
                dOff[k] = buffers.offset(outs[k]);
            }
            return (Node) () -> {
                for (int k = 0; k < pieces; k++) {
                    Split.piece(src, so, outer, axisSize, inner, k, pieceSize, dst[k], dOff[k]);
                }
            };
        };
    }
}
