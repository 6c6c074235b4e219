package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Split;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

/**
 * UNPACK: the {@code num} slices of a tensor along {@code axis} (negative counts from the end), each without
 * that axis, as TFLite 2.21's unpack.cc (which requires {@code num} outputs and an axis of exactly {@code num}
 * elements). Element types float32 and int32; elements are copied (see {@link Split}).
 */
final class UnpackOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        OpOptions.Unpack options = ctx.options(OpOptions.Unpack.class);
        int num = options.num();
        if (num < 1) throw ctx.fail("num " + num + " must be at least 1");
        ctx.requireArity(1, 1, num);
        TensorSpec in = ctx.requireInput(0);
        ctx.requireType(in, TensorType.FLOAT32, TensorType.INT32);
        int[] shape = in.shape();
        int axis = options.axis() < 0 ? options.axis() + shape.length : options.axis();
        if (axis < 0 || axis >= shape.length) {
            throw ctx.fail("axis " + options.axis() + " is outside the " + shape.length + " dimensions of " + in);
        }
        if (shape[axis] != num) {
            throw ctx.fail("dimension " + axis + " of " + in + " has " + shape[axis] + " elements, num is " + num);
        }
        int[] sliceShape = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) if (d != axis) sliceShape[k++] = shape[d];
        for (int k = 0; k < num; k++) {
            ctx.requireType(ctx.output(k), in.type());
            ctx.requireOutputShape(k, sliceShape);
        }
        int outer = IndexTables.elementCount(java.util.Arrays.copyOf(shape, axis));
        int inner = IndexTables.elementCount(java.util.Arrays.copyOfRange(shape, axis + 1, shape.length));
        TensorSpec[] outs = new TensorSpec[num];
        for (int k = 0; k < num; k++) outs[k] = ctx.output(k);
        return buffers -> {
            Object src = buffers.array(in);
            int so = buffers.offset(in);
            Object[] dst = new Object[num];
            int[] dOff = new int[num];
            for (int k = 0; k < num; k++) {
                dst[k] = buffers.array(outs[k]);
                dOff[k] = buffers.offset(outs[k]);
            }
            return (Node) () -> {
                for (int k = 0; k < num; k++) Split.piece(src, so, outer, num, inner, k, 1, dst[k], dOff[k]);
            };
        };
    }
}
