package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Sub;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

/** SUB of two float32 or int32 tensors with numpy broadcasting and a fused activation (see {@link Sub}). */
final class SubOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 2, 1);
        TensorSpec a = ctx.requireInput(0);
        TensorSpec b = ctx.requireInput(1);
        TensorSpec out = ctx.output(0);
        ctx.requireType(a, TensorType.FLOAT32, TensorType.INT32);
        ctx.requireType(b, a.type());
        ctx.requireType(out, a.type());
        OpOptions.Arithmetic options = ctx.options(OpOptions.Arithmetic.class);
        Broadcast g = Broadcast.of(ctx, a, b);
        ctx.requireOutputShape(0, g.outputShape);
        if (a.type() == TensorType.FLOAT32) {
            float[] range = ActivationRange.floatRange(ctx, options.activation());
            float lo = range[0], hi = range[1];
            return buffers -> {
                float[] x = buffers.floats(a);
                float[] y = buffers.floats(b);
                float[] z = buffers.floats(out);
                int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
                return () -> Sub.float32(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep, lo, hi);
            };
        }
        int[] range = ActivationRange.intRange(ctx, options.activation());
        int lo = range[0], hi = range[1];
        return buffers -> {
            int[] x = buffers.ints(a);
            int[] y = buffers.ints(b);
            int[] z = buffers.ints(out);
            int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
            return () -> Sub.int32(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep, lo, hi);
        };
    }
}
