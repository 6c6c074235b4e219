package org.tfl4j.engine.ops;

import org.tfl4j.kernels.ReduceMax;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

/**
 * REDUCE_MAX of a float32 or int32 tensor over the axes of a constant int32 tensor, with keep_dims
 * (see {@link Reduction} for the axes, {@link ReduceMax} for ties, -0.0 and NaN).
 */
final class ReduceMaxOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 2, 1);
        TensorSpec in = ctx.requireInput(0);
        TensorSpec out = ctx.output(0);
        ctx.requireType(in, TensorType.FLOAT32, TensorType.INT32);
        ctx.requireType(out, in.type());
        Reduction r = Reduction.of(ctx, in, ctx.requireInput(1), ctx.options(OpOptions.Reducer.class).keepDims());
        ctx.requireOutputShape(0, r.outputShape);
        int outCount = r.outerBase.length;
        boolean empty = r.reducedOffsets.length == 0;
        if (in.type() == TensorType.FLOAT32) {
            return buffers -> {
                float[] x = buffers.floats(in);
                float[] y = buffers.floats(out);
                int xo = buffers.offset(in), yo = buffers.offset(out);
                if (empty) return () -> ReduceMax.emptyFloat32(y, yo, outCount);
                return () -> ReduceMax.float32(x, xo, y, yo, r.outerBase, r.reducedOffsets);
            };
        }
        return buffers -> {
            int[] x = buffers.ints(in);
            int[] y = buffers.ints(out);
            int xo = buffers.offset(in), yo = buffers.offset(out);
            if (empty) return () -> ReduceMax.emptyInt32(y, yo, outCount);
            return () -> ReduceMax.int32(x, xo, y, yo, r.outerBase, r.reducedOffsets);
        };
    }
}
