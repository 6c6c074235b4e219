package org.tfl4j.engine.ops;

import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * The prepare stage of the elementwise ops with a bool output (NOT_EQUAL, LESS, LOGICAL_AND): two operands of one
 * type, numpy broadcasting ({@link Broadcast}). Each op file passes its kernel's loop per operand type it takes,
 * null for a type it refuses; the comparison itself stays in the kernel.
 */
final class BroadcastComparison {
    private BroadcastComparison() {}

    interface FloatLoop {
        void run(float[] a, int aOffset, float[] b, int bOffset, boolean[] out, int outOffset,
                 int[] aOuter, int[] bOuter, int inner, int aStep, int bStep);
    }

    interface IntLoop {
        void run(int[] a, int aOffset, int[] b, int bOffset, boolean[] out, int outOffset,
                 int[] aOuter, int[] bOuter, int inner, int aStep, int bStep);
    }

    interface LongLoop {
        void run(long[] a, int aOffset, long[] b, int bOffset, boolean[] out, int outOffset,
                 int[] aOuter, int[] bOuter, int inner, int aStep, int bStep);
    }

    interface BoolLoop {
        void run(boolean[] a, int aOffset, boolean[] b, int bOffset, boolean[] out, int outOffset,
                 int[] aOuter, int[] bOuter, int inner, int aStep, int bStep);
    }

    /** Checks the operands (of a type with a loop) and output, resolves broadcasting, binds the operand type's loop. */
    static OpKernel.Prepared prepare(OpContext ctx, FloatLoop floats, IntLoop ints, LongLoop longs, BoolLoop bools) {
        ctx.requireArity(2, 2, 1);
        TensorSpec a = ctx.requireInput(0);
        TensorSpec b = ctx.requireInput(1);
        TensorSpec out = ctx.output(0);
        List<TensorType> allowed = new ArrayList<>();
        if (floats != null) allowed.add(TensorType.FLOAT32);
        if (ints != null) allowed.add(TensorType.INT32);
        if (longs != null) allowed.add(TensorType.INT64);
        if (bools != null) allowed.add(TensorType.BOOL);
        ctx.requireType(a, allowed.toArray(new TensorType[0]));
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
                    return () -> floats.run(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep);
                };
            case INT32:
                return buffers -> {
                    int[] x = buffers.ints(a);
                    int[] y = buffers.ints(b);
                    boolean[] z = buffers.bools(out);
                    int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
                    return () -> ints.run(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep);
                };
            case INT64:
                return buffers -> {
                    long[] x = buffers.longs(a);
                    long[] y = buffers.longs(b);
                    boolean[] z = buffers.bools(out);
                    int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
                    return () -> longs.run(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep);
                };
            default:
                return buffers -> {
                    boolean[] x = buffers.bools(a);
                    boolean[] y = buffers.bools(b);
                    boolean[] z = buffers.bools(out);
                    int xo = buffers.offset(a), yo = buffers.offset(b), zo = buffers.offset(out);
                    return () -> bools.run(x, xo, y, yo, z, zo, g.aOuter, g.bOuter, g.inner, g.aStep, g.bStep);
                };
        }
    }
}
