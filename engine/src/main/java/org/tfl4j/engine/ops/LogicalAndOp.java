package org.tfl4j.engine.ops;

import org.tfl4j.kernels.LogicalAnd;
import org.tfl4j.parser.TensorType;

/**
 * LOGICAL_AND of two bool tensors with numpy broadcasting (see {@link LogicalAnd}). A WHILE cond's way of joining its
 * tests: {@code counter < max_iterations && time < steps}.
 */
final class LogicalAndOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 2, 1);
        TensorSpec a = ctx.requireInput(0);
        TensorSpec b = ctx.requireInput(1);
        TensorSpec out = ctx.output(0);
        ctx.requireType(a, TensorType.BOOL);
        ctx.requireType(b, TensorType.BOOL);
        ctx.requireType(out, TensorType.BOOL);
        Broadcast g = Broadcast.of(ctx, a, b);
        ctx.requireOutputShape(0, g.outputShape);
        return buffers -> {
            boolean[] x = buffers.bools(a);
            boolean[] y = buffers.bools(b);
            boolean[] z = buffers.bools(out);
            int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
            return () -> LogicalAnd.bool(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep);
        };
    }
}
