package org.tfl4j.engine.ops;

import org.tfl4j.kernels.ReduceMax;
import org.tfl4j.kernels.simd.F32ReduceMaxLanes;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

/**
 * REDUCE_MAX of a float32 or int32 tensor over the axes of a constant int32 tensor, with keep_dims
 * (see {@link Reduction} for the axes, {@link ReduceMax} for ties, -0.0 and NaN). Float outputs whose inputs start at
 * consecutive positions (reduced axes outside the innermost) run the vector kernel {@link F32ReduceMaxLanes}.
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
            boolean consecutive = consecutive(r.outerBase); // outputs side by side in x: the lanes kernel
            return buffers -> {
                float[] x = buffers.floats(in);
                float[] y = buffers.floats(out);
                int xo = buffers.offset(in), yo = buffers.offset(out);
                if (empty) return () -> ReduceMax.emptyFloat32(y, yo, outCount);
                if (consecutive) {
                    int start = xo + r.outerBase[0];
                    return () -> F32ReduceMaxLanes.eval(x, start, outCount, r.reducedOffsets, y, yo);
                }
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

    /** True when output o's first input is {@code outerBase[0] + o} for every o (at least one output). */
    private static boolean consecutive(int[] outerBase) {
        for (int o = 1; o < outerBase.length; o++) {
            if (outerBase[o] != outerBase[0] + o) return false;
        }
        return outerBase.length > 0;
    }
}
