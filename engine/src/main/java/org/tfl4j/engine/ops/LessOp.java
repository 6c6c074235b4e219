package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Less;
import org.tfl4j.parser.TensorType;

/**
 * LESS of two tensors of one type (float32, int32, int64) with numpy broadcasting; bool output (see {@link Less}).
 * A WHILE cond's usual test: {@code time < steps}.
 */
final class LessOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 2, 1);
        TensorSpec a = ctx.requireInput(0);
        TensorSpec b = ctx.requireInput(1);
        TensorSpec out = ctx.output(0);
        ctx.requireType(a, TensorType.FLOAT32, TensorType.INT32, TensorType.INT64);
        ctx.requireType(b, a.type());
        ctx.requireType(out, TensorType.BOOL);
        Broadcast g = Broadcast.of(ctx, a, b);
        ctx.requireOutputShape(0, g.outputShape);
        switch (a.type()) {
            case FLOAT32:
                return buffers -> {
                    float[] x = buffers.floats(a);
                    float[] y = buffers.floats(b);
                    boolean[] z = buffers.bools(out);
                    int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
                    return () -> Less.float32(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep);
                };
            case INT32:
                return buffers -> {
                    int[] x = buffers.ints(a);
                    int[] y = buffers.ints(b);
                    boolean[] z = buffers.bools(out);
                    int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
                    return () -> Less.int32(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep);
                };
            default:
                return buffers -> {
                    long[] x = buffers.longs(a);
                    long[] y = buffers.longs(b);
                    boolean[] z = buffers.bools(out);
                    int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
                    return () -> Less.int64(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep);
                };
        }
    }
}
