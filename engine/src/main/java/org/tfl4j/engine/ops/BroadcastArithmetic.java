package org.tfl4j.engine.ops;

import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

/**
 * The prepare stage ADD, SUB, MUL and DIV share: two float32 or int32 operands of one type, numpy broadcasting
 * ({@link Broadcast}) and a fused activation clamp. Each op file passes its kernel's loops; the arithmetic stays in
 * the kernels ({@code org.tfl4j.kernels.Add}, {@code Sub}, {@code Mul}, {@code Div}).
 */
final class BroadcastArithmetic {
    private BroadcastArithmetic() {}

    /** A kernel's float32 loop over the broadcast row tables, then the clamp to {@code [lo, hi]}. */
    interface FloatLoop {
        void run(float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset,
                 int[] aOuter, int[] bOuter, int inner, int aStep, int bStep, float lo, float hi);
    }

    /** A kernel's int32 loop, likewise. */
    interface IntLoop {
        void run(int[] a, int aOffset, int[] b, int bOffset, int[] out, int outOffset,
                 int[] aOuter, int[] bOuter, int inner, int aStep, int bStep, int lo, int hi);
    }

    /** Checks the operands and output, resolves broadcasting and the activation, binds {@code floats} or {@code ints}. */
    static OpKernel.Prepared prepare(OpContext ctx, FloatLoop floats, IntLoop ints) {
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
                return () -> floats.run(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep, lo, hi);
            };
        }
        int[] range = ActivationRange.intRange(ctx, options.activation());
        int lo = range[0], hi = range[1];
        return buffers -> {
            int[] x = buffers.ints(a);
            int[] y = buffers.ints(b);
            int[] z = buffers.ints(out);
            int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
            return () -> ints.run(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep, lo, hi);
        };
    }
}
