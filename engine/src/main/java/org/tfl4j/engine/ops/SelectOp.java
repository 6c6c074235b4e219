package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Select;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * SELECT (version 1): {@code out = cond ? x : y} with x and y of one shape and type, and a bool
 * condition that is either of that same shape (element by element), a scalar (picks all of x or
 * all of y), or a vector as long as x's first dimension (picks whole rows). Bit copies.
 */
final class SelectOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(3, 3, 1);
        TensorSpec cond = ctx.requireInput(0);
        TensorSpec x = ctx.requireInput(1);
        TensorSpec y = ctx.requireInput(2);
        TensorSpec out = ctx.output(0);
        ctx.requireType(cond, TensorType.BOOL);
        ctx.requireType(x, TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL);
        ctx.requireType(y, x.type());
        ctx.requireType(out, x.type());

        boolean allSingle = cond.elementCount() == 1 && x.elementCount() == 1 && y.elementCount() == 1
                && out.elementCount() == 1;
        boolean sameShape = Arrays.equals(cond.shape(), x.shape()) && Arrays.equals(x.shape(), y.shape());
        if (allSingle || sameShape) {
            // TFLite keeps the stored output shape when every tensor holds one element ([1] vs [] vs [1,1]).
            if (!allSingle) ctx.requireOutputShape(0, x.shape());
            return elementwise(cond, x, y, out, x.elementCount());
        }
        boolean rowCondition = cond.rank() == 0 || (cond.rank() == 1 && x.rank() >= 1 && cond.dim(0) == x.dim(0));
        if (!rowCondition) {
            throw ctx.fail("condition " + cond + " must have the shape of " + x
                    + ", be a scalar, or be a vector as long as its first dimension");
        }
        if (!Arrays.equals(x.shape(), y.shape())) throw ctx.fail(x + " and " + y + " must have the same shape");
        ctx.requireOutputShape(0, x.shape());
        int rows = cond.elementCount();
        int rowLength = rows == 0 ? 0 : x.elementCount() / rows;
        return buffers -> {
            boolean[] c = buffers.bools(cond);
            int co = buffers.offset(cond);
            Object xs = buffers.array(x), ys = buffers.array(y), zs = buffers.array(out);
            int xo = buffers.offset(x), yo = buffers.offset(y), zo = buffers.offset(out);
            return () -> Select.rows(c, co, rows, xs, xo, ys, yo, zs, zo, rowLength);
        };
    }

    private static Prepared elementwise(TensorSpec cond, TensorSpec x, TensorSpec y, TensorSpec out, int n) {
        switch (x.type()) {
            case FLOAT32:
                return buffers -> {
                    boolean[] c = buffers.bools(cond);
                    float[] a = buffers.floats(x), b = buffers.floats(y), z = buffers.floats(out);
                    int co = buffers.offset(cond), ao = buffers.offset(x), bo = buffers.offset(y), zo = buffers.offset(out);
                    return () -> Select.float32(c, co, a, ao, b, bo, z, zo, n);
                };
            case INT32:
                return buffers -> {
                    boolean[] c = buffers.bools(cond);
                    int[] a = buffers.ints(x), b = buffers.ints(y), z = buffers.ints(out);
                    int co = buffers.offset(cond), ao = buffers.offset(x), bo = buffers.offset(y), zo = buffers.offset(out);
                    return () -> Select.int32(c, co, a, ao, b, bo, z, zo, n);
                };
            case INT64:
                return buffers -> {
                    boolean[] c = buffers.bools(cond);
                    long[] a = buffers.longs(x), b = buffers.longs(y), z = buffers.longs(out);
                    int co = buffers.offset(cond), ao = buffers.offset(x), bo = buffers.offset(y), zo = buffers.offset(out);
                    return () -> Select.int64(c, co, a, ao, b, bo, z, zo, n);
                };
            default:
                return buffers -> {
                    boolean[] c = buffers.bools(cond);
                    boolean[] a = buffers.bools(x), b = buffers.bools(y), z = buffers.bools(out);
                    int co = buffers.offset(cond), ao = buffers.offset(x), bo = buffers.offset(y), zo = buffers.offset(out);
                    return () -> Select.bool(c, co, a, ao, b, bo, z, zo, n);
                };
        }
    }
}
